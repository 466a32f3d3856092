import EdgeRuntime

/// The kitchen key of a request: `Authorization: Bearer <key>`, or `?key=<key>` where a browser
/// cannot set headers (WebSocket, EventSource). Compared as SHA-256 hashes in constant time; the
/// key itself is never stored or logged.
enum KitchenKey {
    static func presented(in request: Request) -> String? {
        if let header = request.headers.get("authorization") {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
            return nil
        }
        return request.searchParams.get("key")
    }

    /// Checks the presented key against the restaurant's. Throws 401 for a missing or wrong key
    /// and 404 for an unknown restaurant.
    static func verify(_ request: Request, restaurant: String, store: OrderStore) async throws {
        guard let key = presented(in: request), !key.isEmpty else { throw APIError.unauthorized }
        guard let storedHash = try await store.kitchenKeyHash(restaurant: restaurant) else {
            throw APIError.restaurantNotFound
        }
        let presentedHash = crypto.subtle.digest(.sha256, Array(key.utf8)).hexString
        guard crypto.subtle.timingSafeEqual(Array(presentedHash.utf8), Array(storedHash.utf8)) else {
            throw APIError.unauthorized
        }
    }
}

/// Restaurant ids: `[a-z0-9-]{1,64}`.
enum RestaurantID {
    static func isValid(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
