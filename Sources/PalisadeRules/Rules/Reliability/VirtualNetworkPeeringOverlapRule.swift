import PalisadeModel
import PalisadeNetwork

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

extension VirtualNetworkPeeringOverlapRule {
    /// Re-addresses one side of the overlap: the VNet itself when it clashes with several peers, else whichever of
    /// the two holds fewer resources (subnets and what sits in them), the later resource ID on a tie. Only the
    /// overlapping ranges move; subnets keep their offsets.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let vnet = context.graph.resource(finding.subject, as: VirtualNetwork.self) else { return nil }
        let remotes = vnet.peerings.compactMap { context.graph.resource($0.remoteVirtualNetwork, as: VirtualNetwork.self) }
            .filter { remote in vnet.addressSpace.contains { a in remote.addressSpace.contains { $0.overlaps(a) } } }
        guard let first = remotes.first else { return nil }
        let moving: VirtualNetwork
        let other: [VirtualNetwork]
        if remotes.count > 1 {
            (moving, other) = (vnet, remotes)
        } else {
            let costs = [vnet, first].map { ($0, Self.weight(of: $0, in: context.graph)) }
            let pick = costs.min { ($0.1, $1.0.id) < ($1.1, $0.0.id) }!.0
            (moving, other) = (pick, pick.id == vnet.id ? [first] : [vnet])
        }
        let clashes = { (space: IPv4Prefix) in other.contains { $0.addressSpace.contains { $0.overlaps(space) } } }
        let names = other.map { "'\($0.name)'" }.joined(separator: ", ")
        let reason = other.count > 1 ? "clear of its peers \(names)" : "clear of \(names); of the two it has fewer resources to redeploy"
        guard var proposal = context.proposeReaddressing(of: moving, because: reason, keep: { !clashes($0) }) else { return nil }
        // Once the ranges are apart the peering works: traffic between the two sides is the fix's purpose.
        let moved = AddressSet.prefixes(proposal.graph.resource(moving.id, as: VirtualNetwork.self)?.addressSpace ?? [])
        let peers = AddressSet.prefixes(other.flatMap(\.addressSpace))
        proposal.opensFlows = PacketSet(cubes: [PacketCube(source: moved, destination: peers), PacketCube(source: peers, destination: moved)])
        return proposal
    }

    /// How much re-addressing `vnet` disturbs: its subnets and the compute, NICs and private endpoints in them.
    static func weight(of vnet: VirtualNetwork, in graph: ResourceGraph) -> Int {
        let subnets = Set(graph.subnets(of: vnet.id).map(\.id))
        return subnets.count
            + graph.all(MachineLearningCompute.self).filter { $0.subnet.map(subnets.contains) ?? false }.count
            + graph.all(NetworkInterface.self).filter { $0.ipConfigurations.contains { $0.subnet.map(subnets.contains) ?? false } }.count
            + graph.all(PrivateEndpoint.self).filter { $0.subnet.map(subnets.contains) ?? false }.count
    }
}

extension VirtualNetworkPeeringOverlapRule: FixExplaining {
    /// Says when private space has no free range for either side.
    public func whyNoFix(for finding: Finding, in context: RuleContext) -> String? {
        guard let vnet = context.graph.resource(finding.subject, as: VirtualNetwork.self) else { return nil }
        let remotes = vnet.peerings.compactMap { context.graph.resource($0.remoteVirtualNetwork, as: VirtualNetwork.self) }
        let clashes = { (space: IPv4Prefix) in remotes.contains { $0.addressSpace.contains { $0.overlaps(space) } } }
        return context.readdressingFailure(of: vnet) { !clashes($0) }
    }
}
