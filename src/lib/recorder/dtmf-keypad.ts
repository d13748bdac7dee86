/** Row (low group) and column (high group) frequencies of the keypad (DTMF), Hz. */
export const DTMF_ROWS_HZ = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS_HZ = [1209, 1336, 1477, 1633] as const;
