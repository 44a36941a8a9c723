import Foundation
import PalisadeARM

/// One resource as read from Azure: its ID, lower-cased type and the row as canonical JSON (keys sorted by their
/// UTF-8 bytes, one line, secrets scrubbed), ready for the snapshot and the importer.
public struct AuditRow: Sendable, Hashable {
    /// The resource ID as Azure spelled it.
    public var id: String
    /// The type, lower-cased.
    public var type: String
    /// The row's JSON text (one line).
    public var json: Data

    /// Canonicalises a parsed row. Nil when it lacks `id` or `type`.
    public init?(node: JSONNode) {
        guard node.members != nil, let id = node["id"]?.stringValue, !id.isEmpty,
              let type = node["type"]?.stringValue, !type.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        CanonicalJSON.write(node, into: &out)
        self.id = id
        self.type = type.lowercased()
        self.json = Data(out)
    }

    /// Canonicalises a Foundation JSON object (tests, fixtures). Nil when it lacks `id` or `type`.
    public init?(object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        var parser = JSONParser()
        guard let node = try? parser.parse(bytes: [UInt8](data)) else { return nil }
        self.init(node: node)
    }
}

/// Writes JSON deterministically without Foundation: object keys sorted by UTF-8 bytes (locale-independent),
/// no whitespace, `/` unescaped, and values of secret-bearing properties replaced with `"[redacted]"`.
/// Resource Graph and the ARM lists read do not return such properties for these types; this is a second line of
/// defence. (Foundation's sorted-key writer compares keys through ICU on Linux, which dominated the read time.)
public enum CanonicalJSON {
    /// Property names (compared case-insensitively) whose values are never kept.
    public static let secretKeys: Set<String> = [
        "password", "adminpassword", "clientsecret", "secret", "primarykey", "secondarykey", "primaryconnectionstring",
        "secondaryconnectionstring", "connectionstring", "sharedkey", "accesskey", "primarymasterkey", "secondarymasterkey",
        "accesstoken", "refreshtoken",
    ]

    /// Appends the canonical text of `node`.
    public static func write(_ node: JSONNode, into out: inout [UInt8]) {
        switch node.kind {
        case .null: out += [0x6E, 0x75, 0x6C, 0x6C]
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d): out += Array((d.isFinite ? "\(d)" : "null").utf8)
        case .string(let s): string(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                write(item, into: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { out.append(0x2C) }
                string(member.key, into: &out)
                out.append(0x3A)
                if case .null = member.value.kind {
                    write(member.value, into: &out)
                } else if secretKeys.contains(member.key.lowercased()) {
                    string("[redacted]", into: &out)
                } else {
                    write(member.value, into: &out)
                }
            }
            out.append(0x7D)
        }
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}

/// A scope an audit reads.
public enum AuditScope: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A subscription ID.
    case subscription(String)
    /// A management group ID (name).
    case managementGroup(String)

    /// The text shown to users (never a secret).
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

    /// The text shown to users (never a secret).
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
        var subscriptionLimitHit = false
        repeat {
            page += 1
            let body = try Self.body(scopes: scopes, query: query, skipToken: skipToken)
            let response = try await requester.send(method: "POST", url: requestURL, body: body)
            guard (200..<300).contains(response.status) else { throw AuditError.fromResponse(response, url: requestURL) }
            // Over more than 10,000 subscriptions, Resource Graph answers for the first 10,000 only and says so.
            // https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests#understand-throttling-headers
            if response.header("x-ms-tenant-subscription-limit-hit")?.lowercased() == "true" { subscriptionLimitHit = true }
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
        if subscriptionLimitHit {
            throw AuditError.incomplete(url: requestURL.redactedForDisplay,
                                        detail: "the scope holds more than 10,000 subscriptions and Resource Graph read the first 10,000; "
                                            + "audit its child management groups separately")
        }
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
        var parser = JSONParser(maxDepth: 256, maxBytes: max(64 << 20, data.count + 1))
        let object: JSONNode
        do { object = try parser.parse(bytes: [UInt8](data)) } catch {
            throw AuditError.malformedResponse(url: where_, detail: "page \(page) is not a JSON object (\(error))")
        }
        guard object.members != nil else {
            throw AuditError.malformedResponse(url: where_, detail: "page \(page) is not a JSON object")
        }
        guard let items = object["data"]?.elements else {
            throw AuditError.malformedResponse(url: where_, detail: "page \(page) has no 'data' array (objectArray result format)")
        }
        var rows: [AuditRow] = []
        rows.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let row = AuditRow(node: item) else {
                throw AuditError.malformedResponse(url: where_, detail: "page \(page) row \(index) has no 'id' or 'type'")
            }
            rows.append(row)
        }
        var truncated = false
        switch object["resultTruncated"]?.kind {
        case .bool(let flag)?: truncated = flag
        case .string(let text)?: truncated = text.lowercased() == "true"
        default: break
        }
        let token = object["$skipToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return Page(rows: rows, skipToken: token, truncated: truncated)
    }
}
