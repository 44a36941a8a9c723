import PalisadeModel
import PalisadeNetwork

/// Every PaaS dependency needs a private path; with public access off and none, it is unreachable (E09).
public struct ServiceWithoutPrivateEndpointRule: Rule {
    public static let description = RuleDescription(
        id: "service_without_private_endpoint",
        title: "Service Without Private Endpoint",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        Without a private endpoint (or, for Application Insights and Log Analytics, an Azure Monitor Private Link \
        Scope with one), compute and users reach the service over its public endpoint, so it cannot be closed. When \
        public network access is already disabled the service is unreachable: for a workspace every request fails with \
        "Access to workspace was denied based on workspace private link configuration."
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link; https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security; https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
        fix: "add a private endpoint for the service (with its private DNS zone group) in the VNet that uses it",
        passingExamples: [.spec("{}"), .spec("monitoring: {privateLinkScope: true}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-example", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"}}},
            {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crexample", "location": "westeurope",
             "sku": {"name": "Premium"}, "properties": {"publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-cr", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "cr", "properties": {"groupIds": ["registry"],
                "privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', 'crexample')]"}}]}}
            """, flagging: ["ws", "kv-example"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.exposedServices.compactMap { service in
            guard context.privatePaths(to: service.resource.id).isEmpty else { return nil }
            let evidence: [Evidence] = [.property(service.resource.id, service.property, service.value),
                                        .related(service.resource.id, "no private endpoint targets it")]
            guard service.publicAccessDisabled else {
                return context.finding(Self.self, service.resource,
                                       "\(service.kind) '\(service.resource.name)' has no private endpoint; it can only be used over its public endpoint",
                                       evidence: evidence)
            }
            let symptom = service.kind == "workspace"
                ? "; requests will fail with \"Access to workspace was denied based on workspace private link configuration.\""
                : "; nothing can reach it"
            return context.finding(Self.self, service.resource,
                                   "\(service.kind) '\(service.resource.name)' has public network access disabled and no private endpoint\(symptom)",
                                   evidence: evidence, severity: .error)
        }
    }
}

// MARK: - Fix

extension ServiceWithoutPrivateEndpointRule {
    /// Adds private endpoints to the service beside the estate's other endpoints, with zone groups and zones linked to
    /// the VNets that resolve names (https://learn.microsoft.com/azure/private-link/create-private-endpoint-portal,
    /// https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link). The new endpoints' addresses
    /// are the fix's purpose, so flows toward that subnet may open.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let graph = context.graph
        guard let subnetID = graph.privateEndpointSubnet else { return nil }
        let groups = graph.privateLinkGroups(for: finding.subject) ?? ["azuremonitor (private link scope)"]
        let opens = graph.resource(subnetID, as: Subnet.self).map { AddressSet.subnets([$0]) } ?? .empty
        return context.propose("add private endpoint(s) for \(groups.joined(separator: ", ")) of '\(finding.subject.name)' in '\(subnetID.name)', with private DNS",
                               opens: opens) {
            _ = $0.addPrivatePath(to: finding.subject)
        }
    }
}
