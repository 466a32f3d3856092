/// `RequestInit.redirect`: what `fetch` does with a 301, 302, 303, 307 or 308 response.
public enum RequestRedirect: String, Sendable {
    /// `"follow"` (the default): sends the request again to `Location`, up to 20 times.
    case follow
    /// `"manual"`: returns the redirect response itself.
    case manual
    /// `"error"`: refused by Workers; `fetch` throws workerd's `TypeError` (`src/workerd/api/http.c++`,
    /// `Request::constructor`), so a port learns it here as it would in production.
    case error
}
