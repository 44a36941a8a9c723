import Foundation
import PalisadeARM
import PalisadeModel

/// Lists child resources with ARM REST GETs: `{"value": [...], "nextLink": …}` pages followed to the end; a 404 means
/// the parent disappeared since it was queried and yields no children.
/// https://learn.microsoft.com/rest/api/azure/#async-operations-throttling-and-paging
public struct ARMReader: Sendable {
    /// The ARM endpoint.
    public var endpoint: URL
    /// The authenticated requester.
    public var requester: AzureRequester

    /// Creates a reader.
    public init(endpoint: URL, requester: AzureRequester) {
        self.endpoint = endpoint
        self.requester = requester
    }

    /// The outcome of one list.
    public enum Listing: Sendable {
        /// The children, every page read.
        case found([AuditRow])
        /// The parent no longer exists (HTTP 404).
        case missing
    }

    /// Lists `{parentID}/{path}?api-version=…`.
    public func list(parentID: String, path: String, apiVersion: String) async throws -> Listing {
        guard let first = url(forPath: parentID + "/" + path, query: "api-version=" + apiVersion) else {
            throw AuditError.configuration("cannot build a URL for '\(parentID)'")
        }
        var next: URL? = first
        var rows: [AuditRow] = []
        var pages = 0
        while let url = next {
            pages += 1
            guard pages <= 10_000 else { throw AuditError.malformedResponse(url: url.redactedForDisplay, detail: "more than 10,000 pages") }
            let response = try await requester.send(method: "GET", url: url)
            if response.status == 404 { return .missing }
            guard (200..<300).contains(response.status) else { throw AuditError.fromResponse(response, url: url) }
            var parser = JSONParser(maxDepth: 256, maxBytes: max(64 << 20, response.body.count + 1))
            guard let object = try? parser.parse(bytes: [UInt8](response.body)), let items = object["value"]?.elements else {
                throw AuditError.malformedResponse(url: url.redactedForDisplay, detail: "not a JSON object with a 'value' array")
            }
            for (index, item) in items.enumerated() {
                guard let row = AuditRow(node: item) ?? Self.typed(item) else {
                    throw AuditError.malformedResponse(url: url.redactedForDisplay, detail: "value[\(index)] has no 'id' or 'type'")
                }
                rows.append(row)
            }
            next = object["nextLink"]?.stringValue.flatMap { $0.isEmpty ? nil : rebase($0) }
        }
        return .found(rows)
    }

    /// Calls a list action, `POST {parentID}/{action}?api-version=…` with a JSON body, and follows its `skipToken`:
    /// the token of each answer goes back in the next request's body, the paging of Virtual Network Manager's list
    /// actions (https://learn.microsoft.com/rest/api/networkmanager/network-manager-deployment-status/list).
    /// Returns every `value` item (they are records, not resources, so no `id` is required).
    public func postList(parentID: String, action: String, apiVersion: String, body: [String: Any]) async throws -> [JSONNode] {
        guard let url = url(forPath: parentID + "/" + action, query: "api-version=" + apiVersion) else {
            throw AuditError.configuration("cannot build a URL for '\(parentID)'")
        }
        var items: [JSONNode] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            var request = body
            if let token { request["skipToken"] = token }
            let data = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
            let response = try await requester.send(method: "POST", url: url, body: data)
            guard (200..<300).contains(response.status) else { throw AuditError.fromResponse(response, url: url) }
            var parser = JSONParser(maxDepth: 256, maxBytes: max(64 << 20, response.body.count + 1))
            guard let object = try? parser.parse(bytes: [UInt8](response.body)), object.members != nil else {
                throw AuditError.malformedResponse(url: url.redactedForDisplay, detail: "not a JSON object")
            }
            items += object["value"]?.elements ?? []
            token = object["skipToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw AuditError.malformedResponse(url: url.redactedForDisplay, detail: "an answer repeated an earlier skipToken")
            }
        } while token != nil
        return items
    }

    /// A list item without `type`, typed from its ID. Some child lists answer sub-resources with only `id`, `name`,
    /// `etag` and `properties` (hub virtual network connections, for one); the ID names the type all the same.
    static func typed(_ item: JSONNode) -> AuditRow? {
        guard item["type"] == nil, let id = item["id"]?.stringValue, let type = ResourceID(id).resourceType?.rawValue,
              var object = item.value.jsonValue.foundationObject as? [String: Any] else { return nil }
        object["type"] = type
        return AuditRow(object: object)
    }

    /// A URL on the configured endpoint for an ARM path (an ID) and query.
    func url(forPath path: String, query: String) -> URL? {
        guard var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else { return nil }
        let base = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#")
        components.percentEncodedPath = base + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)
        components.percentEncodedQuery = query
        return components.url
    }

    /// `nextLink` with its scheme, host and port replaced by the configured endpoint's, so the bearer token is only
    /// ever sent to the endpoint the user chose.
    func rebase(_ link: String) -> URL? {
        guard let next = URLComponents(string: link), var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else {
            return nil
        }
        let base = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        components.percentEncodedPath = base + next.percentEncodedPath
        components.percentEncodedQuery = next.percentEncodedQuery
        return components.url
    }
}
