import PalisadeModel

/// An endpoint's zones must be linked to every VNet that resolves its names.
public struct PrivateDnsZoneLinkRule: Rule {
    public static let description = RuleDescription(
        id: "private_dns_zone_not_linked",
        title: "Private DNS Zone Not Linked",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        Azure DNS answers from a private zone only to VNets linked to it. The zones of a private endpoint must be \
        linked to the endpoint's VNet and to every VNet whose compute uses the service (a peered compute VNet \
        included), or compute there resolves the public address and fails ("Unable to resolve Container Registry", "Access to workspace was denied").
        """,
        source: "https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links; https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/private-link/private-endpoint-dns",
        fix: "add a virtualNetworkLinks child to the zone for each VNet listed",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-hub", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "endpoints", "properties": {"addressPrefix": "10.0.0.0/24"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-spoke", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.1.0.0/24"}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": false,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-spoke', 'training')]"}}}},
            {"type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "privatelink.api.azureml.ms", "location": "global"},
            {"type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2020-06-01", "name": "privatelink.api.azureml.ms/hub",
             "location": "global", "dependsOn": ["[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.api.azureml.ms')]"],
             "properties": {"registrationEnabled": false, "virtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub')]"}}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-ws", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "ws", "properties": {"groupIds": ["amlworkspace"],
                "privateLinkServiceId": "[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "apiVersion": "2023-09-01", "name": "pe-ws/default",
             "dependsOn": ["[resourceId('Microsoft.Network/privateEndpoints', 'pe-ws')]"],
             "properties": {"privateDnsZoneConfigs": [{"name": "api", "properties": {
               "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.api.azureml.ms')]"}}]}}
            """, flagging: ["privatelink.api.azureml.ms"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var needs: [ResourceID: [ResourceID: String]] = [:]  // zone → VNet → why
        for endpoint in context.graph.all(PrivateEndpoint.self) {
            guard let zones = endpoint.privateDnsZoneGroup?.zones, let target = endpoint.target else { continue }
            var consumers: [ResourceID: String] = [:]
            if let own = endpoint.subnet?.parent { consumers[own] = "hosts private endpoint '\(endpoint.name)'" }
            for compute in context.graph.all(MachineLearningCompute.self) {
                guard let vnet = compute.subnet?.parent, consumers[vnet] == nil,
                      Self.uses(compute.workspace, target, context) else { continue }
                consumers[vnet] = "hosts compute '\(compute.name)' that uses '\(target.name)'"
            }
            for zone in zones { needs[zone, default: [:]].merge(consumers) { first, _ in first } }
        }
        return needs.keys.sorted().compactMap { zoneID in
            guard let zone = context.graph.resource(zoneID, as: PrivateDnsZone.self) else { return nil }
            let linked = Set(zone.virtualNetworkLinks.map(\.virtualNetwork))
            let missing = (needs[zoneID] ?? [:]).filter { vnet, _ in
                // A VNet with custom DNS servers resolves through them; which VNet they sit in is not modelled here.
                !linked.contains(vnet) && (context.graph.resource(vnet, as: VirtualNetwork.self)?.dnsServers.isEmpty ?? true)
            }.sorted { $0.key < $1.key }
            guard !missing.isEmpty else { return nil }
            return context.finding(
                Self.self, zone,
                "private DNS zone '\(zone.name)' is not linked to \(missing.map { "'\($0.key.name)'" }.joined(separator: ", ")); names there will resolve to public addresses",
                evidence: [.property(zone.id, "virtualNetworkLinks", zone.virtualNetworkLinks.map { $0.virtualNetwork.name }.joined(separator: ", "))]
                    + missing.map { .related($0.key, $0.value) })
        }
    }

    /// Whether compute of `workspace` uses `target`: the workspace itself or one of its dependencies.
    private static func uses(_ workspace: ResourceID, _ target: ResourceID, _ context: RuleContext) -> Bool {
        if workspace == target { return true }
        guard let ws = context.graph.resource(workspace, as: MachineLearningWorkspace.self) else { return false }
        return [ws.storageAccount, ws.keyVault, ws.containerRegistry].contains(target)
    }
}

// MARK: - Fix

extension PrivateDnsZoneLinkRule {
    /// Links the zone to every VNet the finding names (https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let zone = context.graph.resource(finding.subject, as: PrivateDnsZone.self) else { return nil }
        let vnets = finding.evidence.filter { $0.kind == .related }.compactMap(\.resource).filter { $0.resourceType == VirtualNetwork.resourceType }
        guard !vnets.isEmpty else { return nil }
        return context.propose("link '\(zone.name)' to \(vnets.map { "'\($0.name)'" }.joined(separator: ", "))") {
            $0.ensureZone(zone.name, near: zone.id, linkedTo: vnets)
        }
    }
}
