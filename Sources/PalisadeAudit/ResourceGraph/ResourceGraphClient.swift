import Foundation

/// One resource as read from Azure: its ID, lower-cased type and the row as canonical JSON (sorted keys,
/// secrets scrubbed), ready for the snapshot and the importer.
public struct AuditRow: Sendable, Hashable {
    /// The resource ID as Azure spelled it.
    public var id: String
    /// The type, lower-cased.
    public var type: String
    /// The row's JSON text (one line).
    public var json: Data

    /// Canonicalises a JSON object: scrubs secret-bearing properties, sorts keys. Nil when it lacks `id` or `type`.
    public init?(object: [String: Any]) {
        guard let id = object["id"] as? String, !id.isEmpty, let type = object["type"] as? String, !type.isEmpty else { return nil }
        let scrubbed = SecretScrubber.scrub(object)
        guard let data = try? JSONSerialization.data(withJSONObject: scrubbed, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        self.id = id
        self.type = type.lowercased()
        self.json = data
    }
}

/// Replaces values of properties that carry secrets with `"[redacted]"` before anything is kept. Resource Graph and
/// ARM GETs do not return these for the types Palisade reads, so this is a second line of defence.
public enum SecretScrubber {
    /// Property names (compared case-insensitively) whose values are never kept.
    public static let secretKeys: Set<String> = [
        "password", "adminpassword", "clientsecret", "secret", "primarykey", "secondarykey", "primaryconnectionstring",
        "secondaryconnectionstring", "connectionstring", "sharedkey", "accesskey", "primarymasterkey", "secondarymasterkey",
        "accesstoken", "refreshtoken",
    ]

    /// The value with every secret-bearing property redacted, at any depth.
    public static func scrub(_ value: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        for (key, item) in value {
            if secretKeys.contains(key.lowercased()), !(item is NSNull) { out[key] = "[redacted]"; continue }
            out[key] = scrubAny(item)
        }
        return out
    }

    static func scrubAny(_ value: Any) -> Any {
        if let object = value as? [String: Any] { return scrub(object) }
        if let array = value as? [Any] { return array.map(scrubAny) }
        return value
    }
}

/// A scope an audit reads.
public enum AuditScope: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A subscription ID.
    case subscription(String)
    /// A management group ID (name).
    case managementGroup(String)

    public var description: String {
        switch self {
        case .subscription(let id): "subscription \(id)"
        case .managementGroup(let id): "management group \(id)"
        }
    }

    /// The ID.
    public var id: String {
        switch self {
        case .subscription(let id), .managementGroup(let id): id
        }
    }
}

/// Why part of an audit could not be read.
public struct ScopeFailure: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The scope, in words ("subscription 1234…", "management group corp").
    public var scope: String
    /// What was being read ("network resources", "rule collection groups of …").
    public var step: String
    /// What went wrong (redacted).
    public var message: String

    /// Creates a failure.
    public init(scope: String, step: String, message: String) {
        self.scope = scope
        self.step = step
        self.message = message
    }

    public var description: String { "\(scope): \(step): \(message)" }
}

/// Queries `POST {endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, 1,000 rows a page,
/// following `$skipToken` until none is returned.
/// https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources
/// https://learn.microsoft.com/azure/governance/resource-graph/concepts/paging-results
public struct ResourceGraphClient: Sendable {
    /// The API version.
    public static let apiVersion = "2024-04-01"
    /// Rows per page: the largest `$top` Resource Graph accepts.
    public static let pageSize = 1000

    /// The ARM endpoint (`https://management.azure.com` unless replaced).
    public var endpoint: URL
    /// The authenticated requester.
    public var requester: AzureRequester

    /// Creates a client.
    public init(endpoint: URL, requester: AzureRequester) {
        self.endpoint = endpoint
        self.requester = requester
    }

    /// The request body: scopes, query and paging options.
    static func body(scopes: [AuditScope], query: String, skipToken: String?) throws -> Data {
        var options: [String: Any] = ["$top": pageSize, "resultFormat": "objectArray"]
        if let skipToken { options["$skipToken"] = skipToken }
        var body: [String: Any] = ["query": query, "options": options]
        let subscriptions = scopes.compactMap { if case .subscription(let id) = $0 { id } else { nil } }
        let groups = scopes.compactMap { if case .managementGroup(let id) = $0 { id } else { nil } }
        if !subscriptions.isEmpty { body["subscriptions"] = subscriptions }
        if !groups.isEmpty { body["managementGroups"] = groups }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// Runs `query` over `scopes` (all subscriptions or all management groups), handing each page's rows to `onPage`.
    /// Throws `AuditError.http` for an error answer (the caller decides how to split scopes on 403).
    public func query(_ query: String, scopes: [AuditScope], onPage: ([AuditRow]) async throws -> Void) async throws {
        let url = endpoint.appendingPathComponent("providers/Microsoft.ResourceGraph/resources")
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            throw AuditError.configuration("invalid endpoint \(endpoint)")
        }
        components.queryItems = [URLQueryItem(name: "api-version", value: Self.apiVersion)]
        guard let requestURL = components.url else { throw AuditError.configuration("invalid endpoint \(endpoint)") }
        var skipToken: String?
        var page = 0
        var seenTokens = Set<String>()
        repeat {
            page += 1
            let body = try Self.body(scopes: scopes, query: query, skipToken: skipToken)
            let response = try await requester.send(method: "POST", url: requestURL, body: body)
            guard (200..<300).contains(response.status) else { throw AuditError.fromResponse(response, url: requestURL) }
            let parsed = try Self.parsePage(response.body, url: requestURL, page: page)
            try await onPage(parsed.rows)
            skipToken = parsed.skipToken
            if let token = skipToken {
                // A server that repeats a token would page forever.
                guard seenTokens.insert(token).inserted else {
                    throw AuditError.malformedResponse(url: requestURL.redactedForDisplay, detail: "page \(page) repeated an earlier $skipToken")
                }
            } else if parsed.truncated {
                throw AuditError.malformedResponse(url: requestURL.redactedForDisplay,
                                                   detail: "page \(page) is marked resultTruncated without a $skipToken, so rows are missing")
            }
        } while skipToken != nil
    }

    /// A parsed page: rows, the next `$skipToken`, and whether Resource Graph said rows are missing.
    struct Page {
        var rows: [AuditRow]
        var skipToken: String?
        var truncated: Bool
    }

    /// Parses a QueryResponse. `resultTruncated` is a boolean in the schema but a string ("false") in Microsoft's
    /// own examples, so both are accepted.
    static func parsePage(_ data: Data, url: URL, page: Int) throws -> Page {
        let where_ = url.redactedForDisplay
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AuditError.malformedResponse(url: where_, detail: "page \(page) is not a JSON object")
        }
        guard let items = object["data"] as? [Any] else {
            throw AuditError.malformedResponse(url: where_, detail: "page \(page) has no 'data' array (objectArray result format)")
        }
        var rows: [AuditRow] = []
        rows.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let entry = item as? [String: Any], let row = AuditRow(object: entry) else {
                throw AuditError.malformedResponse(url: where_, detail: "page \(page) row \(index) has no 'id' or 'type'")
            }
            rows.append(row)
        }
        var truncated = false
        if let flag = object["resultTruncated"] as? Bool { truncated = flag }
        else if let text = object["resultTruncated"] as? String { truncated = text.lowercased() == "true" }
        let token = (object["$skipToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return Page(rows: rows, skipToken: token, truncated: truncated)
    }
}
