/** 2 GiB: an archive streams, so its limit bounds the time spent reading, not memory. */
export const DEFAULT_ARCHIVE_LIMIT = 2 * 1024 ** 3
