import PalisadeModel

/// Address-space mistakes Azure rejects: reserved ranges, subnets outside the VNet or overlapping, too small (docs/semantics.md#reserved-addresses).
public struct VirtualNetworkAddressSpaceRule: Rule {
    public static let description = RuleDescription(
        id: "virtual_network_address_space",
        title: "Virtual Network Address Space",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        A VNet cannot use 224.0.0.0/4, 255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16 or 168.63.129.16/32; every \
        subnet must lie inside the VNet's address space, must not overlap a sibling, and must be /29 or larger. Azure \
        rejects the deployment otherwise.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq",
        fix: "choose private ranges for the VNet and give each subnet its own /29-or-larger range inside it",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16", "169.254.0.0/24"]},
              "subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.0.0/24"}},
                          {"name": "b", "properties": {"addressPrefix": "10.0.0.128/25"}},
                          {"name": "outside", "properties": {"addressPrefix": "10.1.0.0/24"}},
                          {"name": "tiny", "properties": {"addressPrefix": "10.0.9.0/30"}},
                          {"name": "fine", "properties": {"addressPrefix": "10.0.10.0/24"}}]}}
            """, flagging: ["vnet", "b", "outside", "tiny"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for vnet in context.graph.all(VirtualNetwork.self) {
            let reserved = vnet.addressSpace.filter { space in IPv4Prefix.forbiddenInVirtualNetworks.contains { $0.overlaps(space) } }
            if !reserved.isEmpty {
                findings.append(context.finding(
                    Self.self, vnet, "virtual network '\(vnet.name)' uses reserved range \(reserved.map(\.description).joined(separator: ", "))",
                    evidence: [.property(vnet.id, "properties.addressSpace.addressPrefixes", vnet.addressSpace.map(\.description).joined(separator: ", "))]))
            }
            let subnets = context.graph.subnets(of: vnet.id)
            for (index, subnet) in subnets.enumerated() {
                var problems: [String] = []
                var evidence: [Evidence] = [.property(subnet.id, "properties.addressPrefix", subnet.addressPrefixes.map(\.description).joined(separator: ", "))]
                let outside = subnet.addressPrefixes.filter { prefix in !vnet.addressSpace.contains { $0.contains(prefix) } }
                if !vnet.addressSpace.isEmpty, !outside.isEmpty {
                    problems.append("lies outside the VNet's address space \(vnet.addressSpace.map(\.description).joined(separator: ", "))")
                }
                let tiny = subnet.addressPrefixes.filter { $0.length > 29 }
                if !tiny.isEmpty { problems.append("is smaller than /29") }
                // Report an overlap once, on the later subnet in ID order.
                let earlier = subnets[..<index].filter { other in
                    other.addressPrefixes.contains { a in subnet.addressPrefixes.contains { $0.overlaps(a) } }
                }
                if !earlier.isEmpty {
                    problems.append("overlaps \(earlier.map { "'\($0.name)'" }.joined(separator: ", "))")
                    evidence += earlier.map { .related($0.id, $0.addressPrefixes.map(\.description).joined(separator: ", ")) }
                }
                guard !problems.isEmpty else { continue }
                findings.append(context.finding(Self.self, subnet, "subnet '\(subnet.name)' \(problems.joined(separator: " and "))", evidence: evidence))
            }
        }
        return findings
    }
}

extension VirtualNetworkAddressSpaceRule {
    /// A VNet using a reserved range gets a private range of the same size instead (subnets keep their offsets); a
    /// subnet outside the VNet, overlapping a sibling or smaller than /29 moves to a free block of its size (at
    /// least /29) in the VNet, or in a new address prefix when the VNet has no room.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        if let vnet = context.graph.resource(finding.subject, as: VirtualNetwork.self) {
            let reserved = { (space: IPv4Prefix) in IPv4Prefix.forbiddenInVirtualNetworks.contains { $0.overlaps(space) } }
            return context.proposeReaddressing(of: vnet, because: "replacing reserved ranges with private ones") { !reserved($0) }
        }
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self), let largest = subnet.addressPrefixes.map(\.length).min()
        else { return nil }
        guard var proposal = context.proposeRelocation(of: subnet, length: min(largest, 29), because: "a range of its own inside the VNet, /29 or larger")
        else { return nil }
        // A subnet outside its VNet's address space has no route to it; placed inside, it becomes reachable the way
        // every subnet of the VNet is, which is the purpose of the move.
        let vnet = context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)
        if let vnet, subnet.addressPrefixes.contains(where: { prefix in !vnet.addressSpace.contains { $0.contains(prefix) } }) {
            proposal.opens = .prefixes(proposal.addressMoves.map(\.to))
        }
        return proposal
    }
}

extension VirtualNetworkAddressSpaceRule: FixExplaining {
    /// Says when no free range is left for the VNet or the subnet.
    public func whyNoFix(for finding: Finding, in context: RuleContext) -> String? {
        if let vnet = context.graph.resource(finding.subject, as: VirtualNetwork.self) {
            return context.readdressingFailure(of: vnet) { space in !IPv4Prefix.forbiddenInVirtualNetworks.contains { $0.overlaps(space) } }
        }
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self), let largest = subnet.addressPrefixes.map(\.length).min() else { return nil }
        return context.relocationFailure(of: subnet, length: min(largest, 29))
    }
}
