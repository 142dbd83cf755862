/**
 * The load generator's shoppers live under this email domain (reserved, never deliverable): only an
 * admin may register there, and a load-run reset deletes their orders.
 */
export const LOADGEN_EMAIL_DOMAIN = 'loadgen.invalid';
