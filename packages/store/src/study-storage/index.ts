/** tune's StudyStorage kept in the lab database. */
export { createPgStudyStorage, type PgStudyStorageOptions } from './pg-study-storage.js';
