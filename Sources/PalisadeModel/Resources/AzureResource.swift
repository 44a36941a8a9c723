/// What every typed resource in the graph has in common.
public protocol AzureResource: Sendable, Codable, Hashable {
    /// The ARM type this Swift type models.
    static var resourceType: ResourceType { get }
    /// The resource's ARM ID (its identity in the graph).
    var id: ResourceID { get }
    /// The Azure region, `global`, or nil when not applicable or unknown.
    var location: String? { get set }
    /// Resource tags.
    var tags: [String: String] { get set }
    /// Where the resource was declared (spec or template file and line), for findings.
    var source: SourceLocation? { get set }
    /// Every other resource this one refers to, for reference checks and dependency order.
    var references: [ResourceID] { get }
    /// Wraps the resource in the graph's closed sum type.
    var asResource: Resource { get }
    /// Unwraps a graph resource of this type.
    static func extract(_ resource: Resource) -> Self?
}

extension AzureResource {
    /// The resource's name (last ID segment).
    public var name: String { id.name }

    /// A copy changed by `body`, for building resources in one expression.
    public func with(_ body: (inout Self) -> Void) -> Self {
        var copy = self
        body(&copy)
        return copy
    }
}
