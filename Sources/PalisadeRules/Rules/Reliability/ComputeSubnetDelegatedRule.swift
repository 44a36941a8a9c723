import PalisadeModel

/// AML compute cannot be placed in a subnet delegated to another service.
public struct ComputeSubnetDelegatedRule: Rule {
    public static let description = RuleDescription(
        id: "compute_subnet_delegated",
        title: "Compute Subnet Delegated",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        A delegated subnet belongs to the service it is delegated to, which may impose its own network intent \
        policies; Azure Machine Learning compute instances and clusters must go into a subnet that is not delegated \
        to any service, and creation fails otherwise.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/virtual-network/subnet-delegation-overview",
        fix: "move the compute to a subnet with no delegations, or remove the delegation from this subnet",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "delegations": [{"name": "aci", "properties": {"serviceName": "Microsoft.ContainerInstance/containerGroups"}}]}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.filter { !$0.delegations.isEmpty }.map { subnet in
            let computes = context.computes(in: subnet.id)
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' hosts compute (\(computes.map(\.name).joined(separator: ", "))) but is delegated to \(subnet.delegations.joined(separator: ", "))",
                evidence: [.property(subnet.id, "properties.delegations", subnet.delegations.joined(separator: ", "))]
                    + computes.map { .related($0.id, "compute placed in this subnet") })
        }
    }
}

// MARK: - Fix

extension ComputeSubnetDelegatedRule {
    /// Removes the delegation from the compute subnet (https://learn.microsoft.com/azure/virtual-network/manage-subnet-delegation#remove-subnet-delegation-from-an-azure-service);
    /// whatever used the delegation must move to a subnet of its own.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        return context.propose("remove the delegation to \(subnet.delegations.joined(separator: ", ")) from '\(subnet.name)'") {
            $0.update(subnet.id, as: Subnet.self) { $0.delegations = [] }
        }
    }
}
