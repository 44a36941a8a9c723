import Foundation

/// The neutral model: every resource of an environment, keyed by ARM resource ID.
///
/// Specs, ARM templates and resource exports all convert into this graph; the engine, rules and renderers
/// read nothing else. Iteration is always in resource-ID order, so everything built from it is deterministic.
public struct ResourceGraph: Sendable, Hashable, Codable {
    private var storage: [ResourceID: Resource] = [:] {
        didSet { index = OrderIndex() }
    }
    /// Sorted views computed once per version of the graph (every mutation starts a new index), so rules that ask
    /// for "all subnets" in a loop stay linear in the estate instead of sorting it each time.
    private var index = OrderIndex()
    /// Findings the input waives.
    public var waivers: [Waiver] = []
    /// Where individual properties were written, per resource, keyed by the property's path in ARM form
    /// (`properties.publicNetworkAccess`, `properties.securityRules[0].properties.sourceAddressPrefix`).
    /// Readers fill it when they know more than the resource's own location; it is provenance, not content, so it
    /// does not take part in equality.
    public var propertySources: [ResourceID: [String: SourceLocation]] = [:]
    /// Deployment outputs whose value is built from a secret, sorted by ID (templates and Bicep files record them).
    public var deploymentOutputs: [DeploymentOutput] = []
    /// Resources that already exist and that this input only describes: an existing landing zone's hub network,
    /// central firewall and platform DNS zones. The engine and the rules see them like any other resource (so
    /// proofs run across the spoke and the hub), renderers never emit them (references to them become literal
    /// resource IDs).
    public var existing: Set<ResourceID> = []

    /// Creates an empty graph.
    public init() {}

    private enum CodingKeys: String, CodingKey { case resources, waivers, propertySources, deploymentOutputs, existing }

    /// Encodes resources sorted by ID, so the same graph always gives the same bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resources, forKey: .resources)
        try container.encode(waivers, forKey: .waivers)
        if !existing.isEmpty { try container.encode(existing.sorted(), forKey: .existing) }
        if !propertySources.isEmpty {
            let ordered = propertySources.keys.sorted().map { id in
                PropertySourceEntry(resource: id, properties: propertySources[id]!.sorted { $0.key < $1.key }.map {
                    PropertySourceEntry.Property(path: $0.key, source: $0.value)
                })
            }
            try container.encode(ordered, forKey: .propertySources)
        }
        if !deploymentOutputs.isEmpty { try container.encode(deploymentOutputs, forKey: .deploymentOutputs) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode([Resource].self, forKey: .resources))
        waivers = try container.decodeIfPresent([Waiver].self, forKey: .waivers) ?? []
        deploymentOutputs = try container.decodeIfPresent([DeploymentOutput].self, forKey: .deploymentOutputs) ?? []
        existing = Set(try container.decodeIfPresent([ResourceID].self, forKey: .existing) ?? [])
        for entry in try container.decodeIfPresent([PropertySourceEntry].self, forKey: .propertySources) ?? [] {
            for property in entry.properties { propertySources[entry.resource, default: [:]][property.path] = property.source }
        }
    }

    public static func == (lhs: ResourceGraph, rhs: ResourceGraph) -> Bool {
        lhs.storage == rhs.storage && lhs.waivers == rhs.waivers && lhs.deploymentOutputs == rhs.deploymentOutputs
            && lhs.existing == rhs.existing
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage)
        hasher.combine(waivers)
        hasher.combine(deploymentOutputs)
        hasher.combine(existing)
    }

    /// Creates a graph from resources; later duplicates replace earlier ones.
    public init(_ resources: [Resource]) {
        for resource in resources { storage[resource.id] = resource }
    }

    /// Number of resources.
    public var count: Int { storage.count }

    /// All resources sorted by ID.
    /// - Complexity: O(n log n) the first time after a change, then O(1).
    public var resources: [Resource] { index.sorted { storage.values.sorted { $0.id < $1.id } } }

    /// Adds or replaces a resource.
    public mutating func insert(_ resource: some AzureResource) { storage[resource.id] = resource.asResource }

    /// Adds or replaces a wrapped resource.
    public mutating func insert(_ resource: Resource) { storage[resource.id] = resource }

    /// Removes a resource.
    public mutating func remove(_ id: ResourceID) {
        storage[id] = nil
        existing.remove(id)
    }

    /// Whether the resource already exists and is only described (see `existing`).
    public func isExisting(_ id: ResourceID) -> Bool { existing.contains(id) }

    /// The graph without its existing resources: what a deployment creates. References to the removed resources
    /// stay (they name resources outside the deployment).
    public var deployable: ResourceGraph {
        guard !existing.isEmpty else { return self }
        var copy = self
        for id in existing {
            copy.storage[id] = nil
            copy.propertySources[id] = nil
        }
        copy.existing = []
        return copy
    }

    /// The resource with this ID, if present.
    public subscript(id: ResourceID) -> Resource? { storage[id] }

    /// The resource with this ID if it has type `T`.
    public func resource<T: AzureResource>(_ id: ResourceID?, as type: T.Type = T.self) -> T? {
        guard let id, let resource = storage[id] else { return nil }
        return T.extract(resource)
    }

    /// All resources of type `T`, sorted by ID.
    /// - Complexity: O(n log n) the first time after a change, then O(1) per type.
    public func all<T: AzureResource>(_ type: T.Type = T.self) -> [T] {
        index.ofType(T.self) { resources.compactMap(T.extract) }
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
    /// Where a property of a resource was written: the location recorded for `path`, else for the longest recorded
    /// path that contains it (`properties.securityRules[0]` for `properties.securityRules[0].properties.access`),
    /// else the resource's own location.
    public func source(of id: ResourceID, property path: String?) -> SourceLocation? {
        guard let path, let table = propertySources[id] else { return self[id]?.source }
        var candidate = path
        while true {
            if let location = table[candidate] { return location }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            candidate = String(candidate[..<cut])
        }
        return self[id]?.source
    }

    /// Records where a property of a resource was written (see `propertySources`).
    public mutating func recordSource(_ location: SourceLocation, of id: ResourceID, property path: String) {
        propertySources[id, default: [:]][path] = location
    }

    /// The subnets of a VNet, sorted by ID.
    public func subnets(of virtualNetwork: ResourceID) -> [Subnet] {
        index.grouped("subnets by VNet") { Dictionary(grouping: all(Subnet.self), by: \.virtualNetwork) }[virtualNetwork] ?? []
    }

    /// Private endpoints whose target is `resource`, sorted by ID.
    public func privateEndpoints(targeting resource: ResourceID) -> [PrivateEndpoint] {
        index.grouped("private endpoints by target") {
            Dictionary(grouping: all(PrivateEndpoint.self).filter { $0.target != nil }, by: { $0.target! })
        }[resource] ?? []
    }

    /// Resources whose own name (the ID's last segment) is `name`, compared case-insensitively, sorted by ID.
    public func resources(named name: String) -> [Resource] {
        index.grouped("resources by name") { Dictionary(grouping: resources, by: { $0.id.name.lowercased() }) }[name.lowercased()] ?? []
    }

    /// A lookup table derived from this version of the graph, built by `make` on first use and kept under `name`
    /// until the graph changes, so a rule that asks "which X refer to this Y" for every Y stays linear.
    public func table<Key: Hashable, Value>(_ name: String, _ make: () -> [Key: [Value]]) -> [Key: [Value]] {
        index.grouped(name, make)
    }

    /// Counts of resources per type, sorted by type name, for inventories.
    public var countsByType: [(type: ResourceType, count: Int)] {
        Dictionary(grouping: storage.values, by: \.type).map { ($0.key, $0.value.count) }.sorted { $0.type < $1.type }
    }
}

/// One resource's property locations as encoded: sorted, so the same graph gives the same bytes.
private struct PropertySourceEntry: Codable {
    struct Property: Codable {
        var path: String
        var source: SourceLocation
    }
    var resource: ResourceID
    var properties: [Property]
}

/// The sorted views of one version of a graph, shared by its copies and safe to read from many threads.
private final class OrderIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var sortedResources: [Resource]?
    private var byType: [ObjectIdentifier: Any] = [:]
    private var tables: [String: Any] = [:]

    /// The sorted resources, computed by `make` on first use.
    func sorted(_ make: () -> [Resource]) -> [Resource] {
        lock.lock()
        defer { lock.unlock() }
        if let sortedResources { return sortedResources }
        let value = make()
        sortedResources = value
        return value
    }

    /// A lookup table built once per graph version and kept under `key`. `make` may use the other views, so it runs
    /// unlocked (two threads may both build it; either result is the same).
    func grouped<Key: Hashable, Value>(_ key: String, _ make: () -> [Key: [Value]]) -> [Key: [Value]] {
        lock.lock()
        if let cached = tables[key] as? [Key: [Value]] { lock.unlock(); return cached }
        lock.unlock()
        let value = make()
        lock.lock()
        tables[key] = value
        lock.unlock()
        return value
    }

    /// The resources of one type, computed by `make` on first use. `make` may call `sorted`, so it runs unlocked.
    func ofType<T>(_ type: T.Type, _ make: () -> [T]) -> [T] {
        let key = ObjectIdentifier(type)
        lock.lock()
        if let cached = byType[key] as? [T] { lock.unlock(); return cached }
        lock.unlock()
        let value = make()
        lock.lock()
        byType[key] = value
        lock.unlock()
        return value
    }
}
