// Tokenizer file names live in @asrq/ctc (its tokenizer-format registry); re-exported here so runtime's API is unchanged.
export { findTokenizer } from '@asrq/ctc';
