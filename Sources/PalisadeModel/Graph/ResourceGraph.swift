/// The neutral model: every resource of an environment, keyed by ARM resource ID.
///
/// Specs, ARM templates and resource exports all convert into this graph; the engine, rules and renderers
/// read nothing else. Iteration is always in resource-ID order, so everything built from it is deterministic.
public struct ResourceGraph: Sendable, Hashable, Codable {
    private var storage: [ResourceID: Resource] = [:]
    /// Findings the input waives.
    public var waivers: [Waiver] = []

    /// Creates an empty graph.
    public init() {}

    private enum CodingKeys: String, CodingKey { case resources, waivers }

    /// Encodes resources sorted by ID, so the same graph always gives the same bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resources, forKey: .resources)
        try container.encode(waivers, forKey: .waivers)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode([Resource].self, forKey: .resources))
        waivers = try container.decodeIfPresent([Waiver].self, forKey: .waivers) ?? []
    }

    /// Creates a graph from resources; later duplicates replace earlier ones.
    public init(_ resources: [Resource]) {
        for resource in resources { storage[resource.id] = resource }
    }

    /// Number of resources.
    public var count: Int { storage.count }

    /// All resources sorted by ID.
    /// - Complexity: O(n log n).
    public var resources: [Resource] { storage.values.sorted { $0.id < $1.id } }

    /// Adds or replaces a resource.
    public mutating func insert(_ resource: some AzureResource) { storage[resource.id] = resource.asResource }

    /// Adds or replaces a wrapped resource.
    public mutating func insert(_ resource: Resource) { storage[resource.id] = resource }

    /// Removes a resource.
    public mutating func remove(_ id: ResourceID) { storage[id] = nil }

    /// The resource with this ID, if present.
    public subscript(id: ResourceID) -> Resource? { storage[id] }

    /// The resource with this ID if it has type `T`.
    public func resource<T: AzureResource>(_ id: ResourceID?, as type: T.Type = T.self) -> T? {
        guard let id, let resource = storage[id] else { return nil }
        return T.extract(resource)
    }

    /// All resources of type `T`, sorted by ID.
    /// - Complexity: O(n log n).
    public func all<T: AzureResource>(_ type: T.Type = T.self) -> [T] {
        storage.values.compactMap(T.extract).sorted { $0.id < $1.id }
    }

    /// Replaces a resource of type `T` by applying `body`; no-op when absent.
    public mutating func update<T: AzureResource>(_ id: ResourceID, as type: T.Type = T.self, _ body: (inout T) -> Void) {
        guard var value = resource(id, as: T.self) else { return }
        body(&value)
        insert(value)
    }

    /// References to resources that are not in the graph, as (referrer, missing) pairs sorted by referrer.
    public var danglingReferences: [(from: ResourceID, to: ResourceID)] {
        resources.flatMap { resource in
            resource.payload.references.filter { storage[$0] == nil }.map { (resource.id, $0) }
        }
    }
}

extension ResourceGraph {
    /// The subnets of a VNet, sorted by ID.
    public func subnets(of virtualNetwork: ResourceID) -> [Subnet] {
        all(Subnet.self).filter { $0.virtualNetwork == virtualNetwork }
    }

    /// Private endpoints whose target is `resource`.
    public func privateEndpoints(targeting resource: ResourceID) -> [PrivateEndpoint] {
        all(PrivateEndpoint.self).filter { $0.target == resource }
    }

    /// Counts of resources per type, sorted by type name, for inventories.
    public var countsByType: [(type: ResourceType, count: Int)] {
        Dictionary(grouping: storage.values, by: \.type).map { ($0.key, $0.value.count) }.sorted { $0.type < $1.type }
    }
}
