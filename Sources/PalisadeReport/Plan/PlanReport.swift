import PalisadeModel

/// What `palisade plan` reports: the address plan and the inventory, built from the graph alone so specs,
/// templates and exports all plan the same way. Codable and versioned for machines.
public struct PlanReport: Sendable, Codable, Hashable {
    /// Report format version.
    public var schemaVersion = 1
    /// The input (spec, template, export, or `built-in default`).
    public var input: String
    /// Environment name, when known.
    public var name: String?
    /// Region, when known.
    public var location: String?
    /// Virtual networks with their subnets.
    public var virtualNetworks: [NetworkPlan]
    /// Resources grouped by kind.
    public var inventory: [InventoryGroup]
    /// Total resource count.
    public var resourceCount: Int
    /// Warnings and notes from reading the input.
    public var diagnostics: [Diagnostic]

    /// One VNet in the address plan.
    public struct NetworkPlan: Sendable, Codable, Hashable {
        /// VNet name.
        public var name: String
        /// Resource ID.
        public var id: ResourceID
        /// Address spaces.
        public var addressSpace: [IPv4Prefix]
        /// Subnets in address order.
        public var subnets: [SubnetPlan]
        /// Address blocks not used by any subnet.
        public var unallocated: [IPv4Prefix]
    }

    /// One subnet in the address plan.
    public struct SubnetPlan: Sendable, Codable, Hashable {
        /// Subnet name.
        public var name: String
        /// Prefix.
        public var prefix: IPv4Prefix
        /// Addresses usable after Azure's 5 (docs/semantics.md#reserved-addresses).
        public var usableAddresses: Int
        /// First address Azure hands out.
        public var firstUsable: IPv4Address
        /// Attached NSG name.
        public var networkSecurityGroup: String?
        /// Attached route table name.
        public var routeTable: String?
        /// What sits in the subnet.
        public var hosts: [String]
    }

    /// Resources of one kind.
    public struct InventoryGroup: Sendable, Codable, Hashable {
        /// Human title, e.g. `Private endpoints`.
        public var title: String
        /// ARM type.
        public var type: ResourceType
        /// Resources, sorted by ID.
        public var resources: [InventoryItem]
    }

    /// One resource line.
    public struct InventoryItem: Sendable, Codable, Hashable {
        /// Name.
        public var name: String
        /// Resource ID.
        public var id: ResourceID
        /// One-line summary of the settings that matter for isolation.
        public var summary: String
    }
}

extension PlanReport {
    /// Builds the report from a graph.
    public init(graph: ResourceGraph, input: String, name: String? = nil, location: String? = nil, diagnostics: [Diagnostic] = []) {
        self.input = input
        self.name = name
        self.location = location
        self.diagnostics = diagnostics
        resourceCount = graph.count
        let hostsBySubnet = PlanReport.hostsBySubnet(in: graph)
        virtualNetworks = graph.all(VirtualNetwork.self).map { vnet in
            let subnets = graph.subnets(of: vnet.id).flatMap { subnet in
                subnet.addressPrefixes.map { prefix in
                    SubnetPlan(name: subnet.name, prefix: prefix, usableAddresses: prefix.azureUsableCount,
                               firstUsable: prefix.firstAzureUsable, networkSecurityGroup: subnet.networkSecurityGroup?.name,
                               routeTable: subnet.routeTable?.name, hosts: hostsBySubnet[subnet.id] ?? [])
                }
            }.sorted { $0.prefix < $1.prefix }
            return NetworkPlan(name: vnet.name, id: vnet.id, addressSpace: vnet.addressSpace, subnets: subnets,
                               unallocated: PlanReport.unallocated(vnet.addressSpace, minus: subnets.map(\.prefix)))
        }
        var groups: [InventoryGroup] = []
        for kind in Resource.kinds {
            let items = graph.resources.filter { $0.type == kind.resourceType && !($0.payload is OpaqueResource) }
            guard !items.isEmpty else { continue }
            groups.append(InventoryGroup(title: ResourceSummary.title(for: kind.resourceType), type: kind.resourceType,
                                         resources: items.map { item in
                                             // Existing resources (the platform's, or a spoke VNet and subnets the design
                                             // reuses) are described, never created; a reused subnet's settings are applied.
                                             let line = ResourceSummary.line(for: item, in: graph)
                                             // A reused subnet carries an NSG or route table this design deploys.
                                             let reused = (item.payload as? Subnet).map { subnet in
                                                 [subnet.networkSecurityGroup, subnet.routeTable].contains { $0.map { !graph.isExisting($0) } ?? false }
                                             } ?? false
                                             let note = reused ? "existing, reused (not created; its NSG, routes and policies are set); " : "existing (not created); "
                                             return InventoryItem(name: item.id.name, id: item.id,
                                                                  summary: graph.isExisting(item.id) ? note + line : line)
                                         }))
        }
        let opaque = graph.all(OpaqueResource.self)
        for type in Set(opaque.map(\.type)).sorted() {
            groups.append(InventoryGroup(title: "Other: \(type.rawValue)", type: type, resources: opaque.filter { $0.type == type }.map {
                InventoryItem(name: $0.name, id: $0.id, summary: "kept as an opaque resource")
            }))
        }
        inventory = groups
    }

    /// Names of what sits in each subnet: VMs (or NICs), endpoints, computes, firewalls, Bastion, gateways.
    /// - Complexity: O(n log n) in the number of resources, once for all subnets.
    static func hostsBySubnet(in graph: ResourceGraph) -> [ResourceID: [String]] {
        var hosts: [ResourceID: [String]] = [:]
        var vmByNIC: [ResourceID: String] = [:]
        for vm in graph.all(VirtualMachine.self) {
            for nic in vm.networkInterfaces { vmByNIC[nic] = vm.name }
        }
        func add(_ name: String, in subnets: [ResourceID?]) {
            for subnet in Set(subnets.compactMap { $0 }) { hosts[subnet, default: []].append(name) }
        }
        for resource in graph.resources {
            switch resource {
            case .privateEndpoint(let endpoint):
                add(endpoint.name, in: [endpoint.subnet])
            case .machineLearningCompute(let compute):
                add(compute.isInstance ? "\(compute.name) (instance)" : "\(compute.name) (≤\(compute.maxNodes) nodes)", in: [compute.subnet])
            case .networkInterface(let nic):
                add(vmByNIC[nic.id] ?? nic.name, in: nic.ipConfigurations.map(\.subnet))
            case .azureFirewall(let firewall):
                add(firewall.name, in: firewall.ipConfigurations.map(\.subnet))
            case .bastionHost(let bastion):
                add(bastion.name, in: bastion.ipConfigurations.map(\.subnet))
            case .virtualNetworkGateway(let gateway):
                add(gateway.name, in: gateway.ipConfigurations.map(\.subnet))
            default:
                break
            }
        }
        return hosts
    }

    /// The largest aligned blocks of `spaces` not covered by `used`.
    static func unallocated(_ spaces: [IPv4Prefix], minus used: [IPv4Prefix]) -> [IPv4Prefix] {
        var free: [IPv4Prefix] = []
        func walk(_ block: IPv4Prefix) {
            if used.contains(where: { $0.contains(block) }) { return }
            if !used.contains(where: { block.overlaps($0) }) {
                free.append(block)
                return
            }
            guard block.length < 32, let low = block.subnet(newBits: 1, index: 0), let high = block.subnet(newBits: 1, index: 1) else { return }
            walk(low)
            walk(high)
        }
        spaces.forEach(walk)
        return free.sorted()
    }
}
