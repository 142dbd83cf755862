// The API payloads the page reads, named from the service's generated OpenAPI types
// (@oms/api-client), so a changed response shape fails `pnpm typecheck` here too.
// Types only: no module imports this file at run time.

/** @typedef {import('@oms/api-client').operations} Operations */

/**
 * The JSON body operation K answers with a success status.
 * @template {keyof Operations} K
 * @typedef {Operations[K]['responses'] extends { [S in 200 | 202]?: { content: { 'application/json': infer B } } } ? B : never} Json
 */

/** @typedef {Json<'login'>} Tokens login and refresh answer the same */
/** @typedef {Tokens['user']} User */
/** @typedef {Json<'searchOrders'>} OrderPage */
/** @typedef {OrderPage['data'][number]} Order the admin view of an order, also what the stream sends */
/** @typedef {Json<'getQueues'>} QueuesReport */
/** @typedef {QueuesReport['queues'][number]} Queue */
/** @typedef {Json<'getStats'>} Stats */
/** @typedef {Json<'listOutbox'>['data'][number]} OutboxRow */
/** @typedef {Json<'getCurrentLoadRun'>} LoadRun */
/** @typedef {Operations['startLoadRun']['requestBody']['content']['application/json']} LoadRunRequest */
/** @typedef {import('@oms/api-client').components['schemas']['Problem']} Problem */

export {};
