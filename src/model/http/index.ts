/**
 * HTTP requests and the generic matchers every router of the model shares (ingress controllers, the
 * Gateway API). Interface:
 *
 * - `request.ts`: `HttpRequestClass` (path, method, headers, query, cookies, weight), built with
 *   `requestClass(input)` (normalises names, splits `?query` off the path); readers `headerValue`,
 *   `queryValue`, `cookieValue`, `requestUri`.
 * - `match.ts`: `StringMatcher` (Exact / Prefix / RegularExpression, ignoreCase, negate, fullMatch),
 *   `PathMatcher` (Exact / PathPrefix / Prefix / RegularExpression), `RequestMatcher` (path + method +
 *   header, query and cookie conditions, all ANDed), `compileRegex` / `regexProblem`, `HttpMatchError`.
 *
 * Routers resolve each (client, request class) to a backend once at set-up; the data path then draws only
 * a class index per request (the request table's `path` column holds it).
 */
export * from './match.js';
export * from './request.js';
