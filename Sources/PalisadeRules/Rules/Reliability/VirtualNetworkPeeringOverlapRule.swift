import PalisadeModel

/// Peered VNets must not overlap (docs/semantics.md#peering-non-transitive).
public struct VirtualNetworkPeeringOverlapRule: Rule {
    public static let description = RuleDescription(
        id: "virtual_network_peering_overlap",
        title: "Virtual Network Peering Overlap",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure cannot route between VNets whose address spaces overlap, so it refuses to create the peering; a hub \
        and spoke design (or compute in a peered VNet) then has no path at all.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview; https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet",
        fix: "give the peered VNets disjoint address spaces",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-hub", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "virtualNetworkPeerings": [{"name": "to-spoke", "properties": {
                "remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-spoke')]"}}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-spoke", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.128.0/17"]}}}
            """, flagging: ["vnet-hub"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(VirtualNetwork.self).compactMap { vnet in
            let clashes = vnet.peerings.compactMap { peering -> (VirtualNetworkPeering, VirtualNetwork)? in
                guard let remote = context.graph.resource(peering.remoteVirtualNetwork, as: VirtualNetwork.self),
                      vnet.addressSpace.contains(where: { a in remote.addressSpace.contains { $0.overlaps(a) } }) else { return nil }
                return (peering, remote)
            }
            guard !clashes.isEmpty else { return nil }
            return context.finding(
                Self.self, vnet,
                "virtual network '\(vnet.name)' peers with \(clashes.map { "'\($0.1.name)'" }.joined(separator: ", ")) whose address space overlaps its own; the peering will be refused",
                evidence: [.property(vnet.id, "properties.addressSpace.addressPrefixes", vnet.addressSpace.map(\.description).joined(separator: ", "))]
                    + clashes.map { .related($0.1.id, "peering '\($0.0.name)': \($0.1.addressSpace.map(\.description).joined(separator: ", "))") })
        }
    }
}
