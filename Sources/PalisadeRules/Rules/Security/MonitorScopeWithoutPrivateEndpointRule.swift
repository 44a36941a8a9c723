import PalisadeModel
import PalisadeNetwork

/// An Azure Monitor Private Link Scope that no private endpoint connects: it changes nothing.
public struct MonitorScopeWithoutPrivateEndpointRule: Rule {
    public static let description = RuleDescription(
        id: "monitor_scope_without_private_endpoint",
        title: "Monitor Scope Without Private Endpoint",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        An Azure Monitor Private Link Scope connects the Log Analytics workspaces and Application Insights components \
        it scopes to virtual networks only through a private endpoint to the scope (sub-resource azuremonitor). A \
        scope with no private endpoint gives no private path: the scoped resources are still reached over their \
        public endpoints, so deploying it only looks like isolation.
        """,
        source: "https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security; https://learn.microsoft.com/azure/azure-monitor/logs/private-link-configure",
        fix: "add a private endpoint to the scope (sub-resource azuremonitor) in the VNet, with the privatelink.monitor.azure.com, oms, ods, agentsvc and blob zones, or remove the scope",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet-test", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                            "subnets": [{"name": "snet-pe", "properties": {"addressPrefix": "10.0.1.0/24"}}]}},
            {"type": "Microsoft.OperationalInsights/workspaces", "apiVersion": "2022-10-01", "name": "log-test", "location": "westeurope",
             "properties": {}},
            {"type": "microsoft.insights/privatelinkscopes", "apiVersion": "2021-07-01-preview", "name": "ampls-test", "location": "global",
             "properties": {"accessModeSettings": {"ingestionAccessMode": "Open", "queryAccessMode": "Open"}}},
            {"type": "microsoft.insights/privatelinkscopes/scopedresources", "apiVersion": "2019-10-17-preview", "name": "ampls-test/log-test-connection",
             "dependsOn": ["[resourceId('microsoft.insights/privatelinkscopes', 'ampls-test')]"],
             "properties": {"linkedResourceId": "[resourceId('Microsoft.OperationalInsights/workspaces', 'log-test')]"}}
            """, flagging: ["ampls-test"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MonitorPrivateLinkScope.self).compactMap { scope in
            guard context.privateEndpoints(targeting: scope.id).isEmpty else { return nil }
            let scoped = scope.scopedResources.map(\.name).sorted()
            let what = scoped.isEmpty ? "it scopes nothing either" : "\(scoped.joined(separator: ", ")) stay reachable only over their public endpoints"
            return context.finding(
                Self.self, scope,
                "private link scope '\(scope.name)' has no private endpoint; \(what)",
                evidence: [.related(scope.id, "no private endpoint targets it")] + scope.scopedResources.map { .related($0, "scoped by '\(scope.name)'") })
        }
    }
}

// MARK: - Fix

extension MonitorScopeWithoutPrivateEndpointRule {
    /// Gives the scope a private endpoint (sub-resource `azuremonitor`) in the estate's endpoint subnet, with the Azure
    /// Monitor zones in a zone group linked to the VNets that resolve names
    /// (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-configure).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let graph = context.graph
        guard let scope = graph.resource(finding.subject, as: MonitorPrivateLinkScope.self),
              let subnet = graph.privateEndpointSubnet else { return nil }
        let opens = graph.resource(subnet, as: Subnet.self).map { AddressSet.subnets([$0]) } ?? .empty
        return context.propose("add a private endpoint for '\(scope.name)' (azuremonitor) in '\(subnet.name)' with the Azure Monitor private DNS zones", opens: opens) {
            let id = scope.id.sibling(namespace: "Microsoft.Network", type: "privateEndpoints", name: "pe-\(scope.name)".lowercased())
            var endpoint = PrivateEndpoint(id: id, location: $0.resource(subnet.parent, as: VirtualNetwork.self)?.location)
            endpoint.subnet = subnet
            endpoint.target = scope.id
            endpoint.groupIDs = ["azuremonitor"]
            $0.insert(endpoint)
            $0.ensureZoneGroup(id, linkedTo: graph.resolvingNetworks)
        }
    }
}
