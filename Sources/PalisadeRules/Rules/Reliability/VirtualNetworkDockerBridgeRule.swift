import PalisadeModel

/// A VNet must not overlap the Docker bridge 172.17.0.0/16 that AML compute uses.
public struct VirtualNetworkDockerBridgeRule: Rule {
    public static let description = RuleDescription(
        id: "virtual_network_docker_bridge",
        title: "Virtual Network Docker Bridge",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Compute instances and cluster nodes run jobs in Docker, whose default bridge network is 172.17.0.0/16. A VNet \
        overlapping it makes addresses in that range unreachable from jobs, and the AML docs forbid it.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; MicrosoftDocs/azure-docs#88026",
        fix: "choose an address space that does not overlap 172.17.0.0/16",
        // Specs cannot express the overlap: the planner rejects such an address space before a graph exists.
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["172.16.0.0/12"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "172.16.0.0/24"}}]}}
            """, flagging: ["vnet"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(VirtualNetwork.self).compactMap { vnet in
            let overlapping = vnet.addressSpace.filter { $0.overlaps(.dockerBridge) }
            guard !overlapping.isEmpty else { return nil }
            return context.finding(
                Self.self, vnet,
                "virtual network '\(vnet.name)' uses \(overlapping.map(\.description).joined(separator: ", ")), which overlaps the Docker bridge 172.17.0.0/16 used by compute",
                evidence: [.property(vnet.id, "properties.addressSpace.addressPrefixes", vnet.addressSpace.map(\.description).joined(separator: ", "))],
                property: "properties.addressSpace.addressPrefixes")
        }
    }
}

extension VirtualNetworkDockerBridgeRule {
    /// Moves the VNet's ranges that overlap the Docker bridge, at their own size, to private space nothing else in
    /// the estate uses; subnets keep their offsets.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let vnet = context.graph.resource(finding.subject, as: VirtualNetwork.self) else { return nil }
        return context.proposeReaddressing(of: vnet, because: "clear of the Docker bridge 172.17.0.0/16") { !$0.overlaps(.dockerBridge) }
    }
}

extension VirtualNetworkDockerBridgeRule: FixExplaining {
    /// Says when private space has no free range of the VNet's size.
    public func whyNoFix(for finding: Finding, in context: RuleContext) -> String? {
        guard let vnet = context.graph.resource(finding.subject, as: VirtualNetwork.self) else { return nil }
        return context.readdressingFailure(of: vnet) { !$0.overlaps(.dockerBridge) }
    }
}
