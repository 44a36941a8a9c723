import Foundation

/// A bearer token for Azure Resource Manager. Its text is only ever put into an `Authorization` header:
/// `description` and `debugDescription` never show it, and it is neither `Codable` nor logged.
public struct AccessToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The token text (kept internal: only the HTTP clients read it).
    let secret: String
    /// When the token expires, if the issuer said.
    public let expiresOn: Date?

    /// Wraps a token.
    public init(_ secret: String, expiresOn: Date?) {
        self.secret = secret
        self.expiresOn = expiresOn
    }

    /// Whether the token expires within `margin` seconds of `now`.
    public func expires(within margin: TimeInterval, of now: Date = Date()) -> Bool {
        guard let expiresOn else { return false }
        return expiresOn.timeIntervalSince(now) < margin
    }

    /// The `Authorization` header value.
    var authorization: String { "Bearer " + secret }

    /// The text shown to users (never a secret).
    public var description: String { "AccessToken([redacted])" }
    /// Same as `description`.
    public var debugDescription: String { description }
    /// What `dump` and debuggers show: no secret.
    public var customMirror: Mirror { Mirror(self, children: ["expiresOn": expiresOn as Any], displayStyle: .struct) }
}

/// Something that can obtain a token for Azure Resource Manager (`https://management.azure.com/`).
public protocol TokenCredential: Sendable {
    /// A short name for messages ("Azure CLI", "service principal", "managed identity").
    var name: String { get }
    /// Obtains a fresh token.
    func fetchToken() async throws -> AccessToken
}

/// Caches a credential's token and renews it when it is about to expire or the server rejected it (HTTP 401).
public actor TokenProvider {
    private let credential: any TokenCredential
    private var current: AccessToken?
    private var generation = 0
    /// How many tokens were fetched (tests check that an expired token is renewed once).
    public private(set) var fetchCount = 0

    /// Wraps a credential.
    public init(_ credential: any TokenCredential) { self.credential = credential }

    /// The credential's name.
    public nonisolated var name: String { credential.name }

    /// A token valid for at least five more minutes, with its generation number.
    public func token() async throws -> (AccessToken, Int) {
        if let current, !current.expires(within: 300) { return (current, generation) }
        return try await fetch()
    }

    /// A new token after the server rejected generation `rejected`; concurrent callers share one renewal.
    public func renew(after rejected: Int) async throws -> (AccessToken, Int) {
        if rejected < generation, let current { return (current, generation) }
        return try await fetch()
    }

    /// The fetch under way, shared by every caller that needs a token meanwhile: the actor is reentrant across the
    /// credential's `await`, so without it concurrent callers would each fetch a token.
    private var inFlight: Task<(AccessToken, Int), any Error>?

    private func fetch() async throws -> (AccessToken, Int) {
        if let inFlight { return try await inFlight.value }
        fetchCount += 1
        let task = Task { () async throws -> (AccessToken, Int) in
            defer { self.inFlight = nil }
            let token = try await self.credential.fetchToken()
            self.current = token
            self.generation += 1
            return (token, self.generation)
        }
        inFlight = task
        return try await task.value
    }
}
