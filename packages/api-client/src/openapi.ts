// The order service HTTP API as TypeScript types, generated from its OpenAPI document by `pnpm api-types`. Do not edit.

export type paths = {
    "/api/admin/load-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a load run (bulk: generated here; api: counts the orders shoppers place) */
        post: operations["startLoadRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/load-runs/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status of the current (or last) load run */
        get: operations["getCurrentLoadRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/load-runs/current/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the active load run (generated data stays until reset) */
        post: operations["cancelLoadRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/load-runs/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Past load runs, newest first */
        get: operations["listLoadRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/load-runs/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel any active run, delete every generated order and empty the order queues */
        post: operations["resetLoadRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search all orders: status, date range, free text; cursor paging */
        get: operations["searchOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an order (a PENDING one gives its stock back) */
        delete: operations["deleteOrder"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List outbox rows by status */
        get: operations["listOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/outbox/requeue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put failed outbox rows back to pending */
        post: operations["requeueOutbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a product */
        post: operations["createProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a product (name, price, currency, stock) */
        patch: operations["updateProduct"];
        trace?: never;
    };
    "/api/admin/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Queue monitor: depths, DLQs, outbox backlog and relay lag */
        get: operations["getQueues"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/queues/{name}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a queue's dead letters back to it */
        post: operations["redriveQueue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cache and processing-time figures */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set a customer's tier (DIAMOND orders ride the priority queue from the next order on) */
        patch: operations["setUserTier"];
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in: access token (JWT) and refresh token (also set as an httpOnly cookie) */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke the refresh token and clear its cookie */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change my password (current + new); every refresh token of mine is revoked */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Trade a refresh token (body or cookie) for a new pair; the old one is spent */
        post: operations["refreshSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a customer account */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["liveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: database and queue broker reachable (503 otherwise; why is logged, not answered) */
        get: operations["readiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List my orders, newest first (cursor paging) */
        get: operations["listMyOrders"];
        put?: never;
        /** Place an order (stock is reserved in the same transaction); Idempotency-Key makes retries safe */
        post: operations["placeOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one of my orders (admins: any order) */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live order updates (Server-Sent Events): own orders, or all for an admin; resumes from Last-Event-ID */
        get: operations["streamOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List products, newest first (cursor paging) */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one product */
        get: operations["getProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        Problem: {
            /** @description Stable machine-readable reason, e.g. validation-failed, rate-limited */
            code: string;
            detail: string;
            errors?: ({
                message: string;
                path: string;
            } & {
                [key: string]: unknown;
            })[];
            status: number;
            title: string;
            /** @description urn:oms:problem:<code> */
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    startLoadRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default {
                     *       "BRONZE": 40,
                     *       "SILVER": 30,
                     *       "GOLD": 20,
                     *       "DIAMOND": 10
                     *     }
                     */
                    mix?: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    mode: "api" | "bulk";
                    orders: number;
                    /**
                     * @default processed
                     * @enum {string}
                     */
                    until?: "generated" | "processed";
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string | null;
                        etaMs: number | null;
                        finishedAt: string | null;
                        generation: {
                            durationMs: number | null;
                            endedAt: string | null;
                            ordersPerSec: number | null;
                            startedAt: string | null;
                        };
                        /** @enum {string} */
                        health: "healthy" | "degraded" | "paused" | "aborted" | "error";
                        id: string;
                        latency: {
                            p50Ms: number | null;
                            p99Ms: number | null;
                            samples: number;
                        };
                        mix: {
                            [key: string]: number;
                        };
                        /** @enum {string} */
                        mode: "api" | "bulk";
                        /** @enum {string} */
                        phase: "IDLE" | "GENERATING" | "DRAINING_VIP" | "DRAINING_NORMAL" | "DONE" | "ABORTED" | "ERROR";
                        processing: {
                            NORMAL: {
                                durationMs: number | null;
                                end: string | null;
                                failed: number;
                                firstStartedAt: string | null;
                                generated: number;
                                lastStartedAt: string | null;
                                processed: number;
                                start: string | null;
                            };
                            VIP: {
                                durationMs: number | null;
                                end: string | null;
                                failed: number;
                                firstStartedAt: string | null;
                                generated: number;
                                lastStartedAt: string | null;
                                processed: number;
                                start: string | null;
                            };
                        };
                        progress: {
                            failed: number;
                            generated: number;
                            processed: number;
                            target: number;
                        };
                        startedAt: string;
                        throughput: {
                            ordersPerSec: number | null;
                            recentOrdersPerSec: number | null;
                        };
                        /** @enum {string} */
                        until: "generated" | "processed";
                        vipDrainedFirst: boolean | null;
                    };
                };
            };
        };
    };
    getCurrentLoadRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string | null;
                        etaMs: number | null;
                        finishedAt: string | null;
                        generation: {
                            durationMs: number | null;
                            endedAt: string | null;
                            ordersPerSec: number | null;
                            startedAt: string | null;
                        };
                        /** @enum {string} */
                        health: "healthy" | "degraded" | "paused" | "aborted" | "error";
                        id: string;
                        latency: {
                            p50Ms: number | null;
                            p99Ms: number | null;
                            samples: number;
                        };
                        mix: {
                            [key: string]: number;
                        };
                        /** @enum {string} */
                        mode: "api" | "bulk";
                        /** @enum {string} */
                        phase: "IDLE" | "GENERATING" | "DRAINING_VIP" | "DRAINING_NORMAL" | "DONE" | "ABORTED" | "ERROR";
                        processing: {
                            NORMAL: {
                                durationMs: number | null;
                                end: string | null;
                                failed: number;
                                firstStartedAt: string | null;
                                generated: number;
                                lastStartedAt: string | null;
                                processed: number;
                                start: string | null;
                            };
                            VIP: {
                                durationMs: number | null;
                                end: string | null;
                                failed: number;
                                firstStartedAt: string | null;
                                generated: number;
                                lastStartedAt: string | null;
                                processed: number;
                                start: string | null;
                            };
                        };
                        progress: {
                            failed: number;
                            generated: number;
                            processed: number;
                            target: number;
                        };
                        startedAt: string;
                        throughput: {
                            ordersPerSec: number | null;
                            recentOrdersPerSec: number | null;
                        };
                        /** @enum {string} */
                        until: "generated" | "processed";
                        vipDrainedFirst: boolean | null;
                    };
                };
            };
        };
    };
    cancelLoadRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string | null;
                        etaMs: number | null;
                        finishedAt: string | null;
                        generation: {
                            durationMs: number | null;
                            endedAt: string | null;
                            ordersPerSec: number | null;
                            startedAt: string | null;
                        };
                        /** @enum {string} */
                        health: "healthy" | "degraded" | "paused" | "aborted" | "error";
                        id: string;
                        latency: {
                            p50Ms: number | null;
                            p99Ms: number | null;
                            samples: number;
                        };
                        mix: {
                            [key: string]: number;
                        };
                        /** @enum {string} */
                        mode: "api" | "bulk";
                        /** @enum {string} */
                        phase: "IDLE" | "GENERATING" | "DRAINING_VIP" | "DRAINING_NORMAL" | "DONE" | "ABORTED" | "ERROR";
                        processing: {
                            NORMAL: {
                                durationMs: number | null;
                                end: string | null;
                                failed: number;
                                firstStartedAt: string | null;
                                generated: number;
                                lastStartedAt: string | null;
                                processed: number;
                                start: string | null;
                            };
                            VIP: {
                                durationMs: number | null;
                                end: string | null;
                                failed: number;
                                firstStartedAt: string | null;
                                generated: number;
                                lastStartedAt: string | null;
                                processed: number;
                                start: string | null;
                            };
                        };
                        progress: {
                            failed: number;
                            generated: number;
                            processed: number;
                            target: number;
                        };
                        startedAt: string;
                        throughput: {
                            ordersPerSec: number | null;
                            recentOrdersPerSec: number | null;
                        };
                        /** @enum {string} */
                        until: "generated" | "processed";
                        vipDrainedFirst: boolean | null;
                    };
                };
            };
        };
    };
    listLoadRuns: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            error: string | null;
                            etaMs: number | null;
                            finishedAt: string | null;
                            generation: {
                                durationMs: number | null;
                                endedAt: string | null;
                                ordersPerSec: number | null;
                                startedAt: string | null;
                            };
                            /** @enum {string} */
                            health: "healthy" | "degraded" | "paused" | "aborted" | "error";
                            id: string;
                            latency: {
                                p50Ms: number | null;
                                p99Ms: number | null;
                                samples: number;
                            };
                            mix: {
                                [key: string]: number;
                            };
                            /** @enum {string} */
                            mode: "api" | "bulk";
                            /** @enum {string} */
                            phase: "IDLE" | "GENERATING" | "DRAINING_VIP" | "DRAINING_NORMAL" | "DONE" | "ABORTED" | "ERROR";
                            processing: {
                                NORMAL: {
                                    durationMs: number | null;
                                    end: string | null;
                                    failed: number;
                                    firstStartedAt: string | null;
                                    generated: number;
                                    lastStartedAt: string | null;
                                    processed: number;
                                    start: string | null;
                                };
                                VIP: {
                                    durationMs: number | null;
                                    end: string | null;
                                    failed: number;
                                    firstStartedAt: string | null;
                                    generated: number;
                                    lastStartedAt: string | null;
                                    processed: number;
                                    start: string | null;
                                };
                            };
                            progress: {
                                failed: number;
                                generated: number;
                                processed: number;
                                target: number;
                            };
                            startedAt: string;
                            throughput: {
                                ordersPerSec: number | null;
                                recentOrdersPerSec: number | null;
                            };
                            /** @enum {string} */
                            until: "generated" | "processed";
                            vipDrainedFirst: boolean | null;
                        }[];
                    };
                };
            };
        };
    };
    resetLoadRuns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ordersDeleted: number;
                    };
                };
            };
        };
    };
    searchOrders: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description inclusive */
                from?: string;
                limit?: number;
                /** @description product name or sku, user name (substring, any case), or a total in minor units */
                q?: string;
                status?: "PENDING" | "PROCESSING" | "PROCESSED" | "FAILED";
                /** @description exclusive */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            createdAt: string;
                            currency: string;
                            failureReason?: string;
                            id: string;
                            items: {
                                lineTotalCents: number;
                                name: string;
                                productId: string;
                                quantity: number;
                                sku: string;
                                unitPriceCents: number;
                            }[];
                            processedAt?: string;
                            processingTimeMs?: number;
                            /** @enum {string} */
                            status: "PENDING" | "PROCESSING" | "PROCESSED" | "FAILED";
                            subtotalCents: number;
                            taxCents: number;
                            /** @enum {string} */
                            tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                            totalCents: number;
                            userId: string;
                            username: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    deleteOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": null;
                };
            };
        };
    };
    listOutbox: {
        parameters: {
            query?: {
                limit?: number;
                status?: "pending" | "failed" | "published";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            aggregateId: string;
                            attempts: number;
                            destination: string;
                            id: string;
                            lastError?: string;
                            nextAttemptAt: string;
                            occurredAt: string;
                            publishedAt?: string;
                            /** @enum {string} */
                            status: "pending" | "published" | "failed";
                            type: string;
                        }[];
                    };
                };
            };
        };
    };
    requeueOutbox: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description all failed rows when absent
                     * @example [
                     *       "01936f7e-3c1a-7b2e-9d4f-5a6b7c8d9e0f"
                     *     ]
                     */
                    ids?: string[];
                } | null;
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requeued: number;
                    };
                };
            };
        };
    };
    createProduct: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example INR */
                    currency: string;
                    /** @example Copper kettle */
                    name: string;
                    /** @example 100000 */
                    priceCents: number;
                    /** @example KETTLE-1 */
                    sku: string;
                    /** @example 5 */
                    stock: number;
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        currency: string;
                        id: string;
                        name: string;
                        priceCents: number;
                        sku: string;
                        stock: number;
                    };
                };
            };
        };
    };
    updateProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example INR */
                    currency?: string;
                    /** @example Copper kettle */
                    name?: string;
                    /** @example 100000 */
                    priceCents?: number;
                    /** @example 5 */
                    stock?: number;
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        currency: string;
                        id: string;
                        name: string;
                        priceCents: number;
                        sku: string;
                        stock: number;
                    };
                };
            };
        };
    };
    getQueues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        outbox: {
                            failed: number;
                            oldestPendingAgeMs: number;
                            pending: number;
                        };
                        queues: {
                            delayed: number;
                            dlq: {
                                name: string;
                                visible: number;
                            };
                            inFlight: number;
                            name: string;
                            visible: number;
                        }[];
                        queuesError?: string;
                        relayLagMs: number;
                    };
                };
            };
        };
    };
    redriveQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        moved: number;
                    };
                };
            };
        };
    };
    getStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cache: {
                            hitRatio: number;
                            hits: number;
                            misses: number;
                        };
                        processing: {
                            avgMs: number | null;
                            count: number;
                            p50Ms: number | null;
                            p99Ms: number | null;
                        };
                    };
                };
            };
        };
    };
    setUserTier: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @example DIAMOND
                     * @enum {string}
                     */
                    tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        id: string;
                        /** @enum {string} */
                        role: "customer" | "admin";
                        /** @enum {string} */
                        tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                        username: string;
                    };
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example asha@example.com */
                    email: string;
                    /** @example correct-horse-battery */
                    password: string;
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        expiresIn: number;
                        refreshToken: string;
                        user: {
                            email: string;
                            id: string;
                            /** @enum {string} */
                            role: "customer" | "admin";
                            /** @enum {string} */
                            tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                            username: string;
                        };
                    };
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example q3VwZ0x1c2V0b2tlbi1leGFtcGxlLTQyLXJlZnJlc2g */
                    refreshToken?: string;
                } | null;
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    /** @example correct-horse-battery */
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    refreshSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example q3VwZ0x1c2V0b2tlbi1leGFtcGxlLTQyLXJlZnJlc2g */
                    refreshToken?: string;
                } | null;
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        expiresIn: number;
                        refreshToken: string;
                        user: {
                            email: string;
                            id: string;
                            /** @enum {string} */
                            role: "customer" | "admin";
                            /** @enum {string} */
                            tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                            username: string;
                        };
                    };
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: email
                     * @example asha@example.com
                     */
                    email: string;
                    /** @example correct-horse-battery */
                    password: string;
                    /** @example asha */
                    username: string;
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            email: string;
                            id: string;
                            /** @enum {string} */
                            role: "customer" | "admin";
                            /** @enum {string} */
                            tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                            username: string;
                        };
                    };
                };
            };
        };
    };
    liveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    readiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checks: {
                            /** @enum {string} */
                            db: "ok" | "down";
                            /** @enum {string} */
                            queue: "ok" | "down";
                        };
                        /** @enum {string} */
                        status: "ready" | "not-ready";
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checks: {
                            /** @enum {string} */
                            db: "ok" | "down";
                            /** @enum {string} */
                            queue: "ok" | "down";
                        };
                        /** @enum {string} */
                        status: "ready" | "not-ready";
                    };
                };
            };
        };
    };
    listMyOrders: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            createdAt: string;
                            currency: string;
                            failureReason?: string;
                            id: string;
                            items: {
                                lineTotalCents: number;
                                name: string;
                                productId: string;
                                quantity: number;
                                sku: string;
                                unitPriceCents: number;
                            }[];
                            processedAt?: string;
                            processingTimeMs?: number;
                            /** @enum {string} */
                            status: "PENDING" | "PROCESSING" | "PROCESSED" | "FAILED";
                            subtotalCents: number;
                            taxCents: number;
                            /** @enum {string} */
                            tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                            totalCents: number;
                            userId: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    placeOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key from the same user answers the original order instead of placing another */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    items: {
                        /** @example 01936f7e-3c1a-7b2e-9d4f-5a6b7c8d9e0f */
                        productId: string;
                        /** @example 2 */
                        quantity: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        currency: string;
                        failureReason?: string;
                        id: string;
                        items: {
                            lineTotalCents: number;
                            name: string;
                            productId: string;
                            quantity: number;
                            sku: string;
                            unitPriceCents: number;
                        }[];
                        processedAt?: string;
                        processingTimeMs?: number;
                        /** @enum {string} */
                        status: "PENDING" | "PROCESSING" | "PROCESSED" | "FAILED";
                        subtotalCents: number;
                        taxCents: number;
                        /** @enum {string} */
                        tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                        totalCents: number;
                        userId: string;
                    };
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        currency: string;
                        failureReason?: string;
                        id: string;
                        items: {
                            lineTotalCents: number;
                            name: string;
                            productId: string;
                            quantity: number;
                            sku: string;
                            unitPriceCents: number;
                        }[];
                        processedAt?: string;
                        processingTimeMs?: number;
                        /** @enum {string} */
                        status: "PENDING" | "PROCESSING" | "PROCESSED" | "FAILED";
                        subtotalCents: number;
                        taxCents: number;
                        /** @enum {string} */
                        tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
                        totalCents: number;
                        userId: string;
                    };
                };
            };
        };
    };
    streamOrders: {
        parameters: {
            query?: {
                /** @description for EventSource, which cannot send headers; the Authorization header is preferred */
                access_token?: string;
            };
            header?: {
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description event stream: order.created, order.status-changed, order.deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
        };
    };
    listProducts: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            currency: string;
                            id: string;
                            name: string;
                            priceCents: number;
                            sku: string;
                            stock: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        currency: string;
                        id: string;
                        name: string;
                        priceCents: number;
                        sku: string;
                        stock: number;
                    };
                };
            };
        };
    };
}
