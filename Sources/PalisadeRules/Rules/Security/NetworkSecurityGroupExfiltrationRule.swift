import PalisadeModel

/// NSG outbound allowances to Storage or AzureFrontDoor.FrontEnd where no endpoint policy narrows them.
public struct NetworkSecurityGroupExfiltrationRule: Rule {
    public static let description = RuleDescription(
        id: "nsg_exfiltration_allowance",
        title: "NSG Exfiltration Allowance",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        An outbound NSG rule allowing the Storage or Storage.<region> tag admits every storage account in the region, \
        including one an insider owns, unless the subnet reaches storage over a Microsoft.Storage service endpoint \
        held by a service endpoint policy; AzureFrontDoor.FrontEnd admits any Front Door backend and no policy narrows it.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration; https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview",
        fix: "enable the Microsoft.Storage service endpoint on the subnet with a service endpoint policy (workspace storage plus /services/Azure/MachineLearning), and replace AzureFrontDoor.FrontEnd with ml.azure.com and the AutoML FQDN on the firewall",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-training", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowStorage", "properties": {"priority": 100, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "Storage.WestEurope", "destinationPortRange": "443"}}]}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-covered", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowStorage", "properties": {"priority": 100, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "Storage.WestEurope", "destinationPortRange": "443"}}]}},
            {"type": "Microsoft.Network/serviceEndpointPolicies", "apiVersion": "2023-09-01", "name": "sep", "location": "westeurope",
             "properties": {"serviceEndpointPolicyDefinitions": [{"name": "ws-storage", "properties": {"service": "Microsoft.Storage",
               "serviceResources": ["[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]"]}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-training')]"}}},
                {"name": "covered", "properties": {"addressPrefix": "10.0.1.0/24",
                "serviceEndpoints": [{"service": "Microsoft.Storage"}],
                "serviceEndpointPolicies": [{"id": "[resourceId('Microsoft.Network/serviceEndpointPolicies', 'sep')]"}],
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-covered')]"}}}]}}
            """, flagging: ["nsg-training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(NetworkSecurityGroup.self).compactMap { nsg in
            let subnets = context.subnets(governedBy: nsg.id)
            let uncovered = subnets.filter { !context.hasStorageEndpointPolicy($0) }
            let hits = nsg.securityRules.filter { rule in
                guard rule.direction == .outbound, rule.access == .allow, let tag = rule.destination.tagName else { return false }
                if tag == "azurefrontdoor.frontend" { return true }
                return ExfiltrationDestination.isStorageTag(tag) && (subnets.isEmpty || !uncovered.isEmpty)
            }.sorted { $0.priority < $1.priority }
            guard !hits.isEmpty else { return nil }
            let scope = uncovered.isEmpty ? "" : " on subnet(s) \(uncovered.map { "'\($0.name)'" }.joined(separator: ", ")) without a storage service endpoint policy"
            return context.finding(
                Self.self, nsg,
                "network security group '\(nsg.name)' allows outbound to \(Set(hits.map(\.destination.displayText)).sorted().joined(separator: ", "))\(scope); any storage account or Front Door backend can receive data (exfiltration path)",
                evidence: hits.map { .property(nsg.id, "properties.securityRules[\($0.name)]", $0.summary) }
                    + uncovered.map { .related($0.id, "no Microsoft.Storage service endpoint policy") },
                property: nsg.securityRules.firstIndex { $0.name == hits[0].name }.map { "properties.securityRules[\($0)].properties.destinationAddressPrefix" })
        }
    }
}

// MARK: - Fix

extension NetworkSecurityGroupExfiltrationRule {
    /// Deletes Allow rules to AzureFrontDoor.Frontend, and puts the subnets that lack one behind a storage service
    /// endpoint with a policy admitting only the estate's storage accounts
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration,
    /// https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let nsg = context.graph.resource(finding.subject, as: NetworkSecurityGroup.self) else { return nil }
        let subnets = context.subnets(governedBy: nsg.id)
        let uncovered = subnets.filter { !context.hasStorageEndpointPolicy($0) }
        let accounts = context.graph.all(StorageAccount.self).map(\.id.rawValue)
        return context.propose("delete Front Door rules of '\(nsg.name)'" + (uncovered.isEmpty ? "" : " and give \(uncovered.map { "'\($0.name)'" }.joined(separator: ", ")) a storage service endpoint policy")) { graph in
            graph.update(nsg.id, as: NetworkSecurityGroup.self) { nsg in
                nsg.securityRules.removeAll { $0.direction == .outbound && $0.access == .allow && $0.destination.tagName == "azurefrontdoor.frontend" }
                if subnets.isEmpty {
                    nsg.securityRules.removeAll { rule in
                        rule.direction == .outbound && rule.access == .allow && rule.destination.tagName.map(ExfiltrationDestination.isStorageTag) == true
                    }
                }
            }
            for subnet in uncovered {
                let location = context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location
                let policyID = subnet.id.sibling(namespace: "Microsoft.Network", type: "serviceEndpointPolicies", name: "sep-\(subnet.name)")
                var policy = ServiceEndpointPolicy(id: policyID, location: location)
                let group = "/subscriptions/\(subnet.id.subscriptionID ?? "")/resourceGroups/\(subnet.id.resourceGroupName ?? "")"
                policy.definitions = [ServiceEndpointPolicyDefinition(name: "storage", serviceResources: accounts.isEmpty ? [group] : accounts)]
                graph.insert(policy)
                graph.update(subnet.id, as: Subnet.self) { subnet in
                    if !subnet.serviceEndpoints.contains(where: { $0.service.lowercased() == "microsoft.storage" }) {
                        subnet.serviceEndpoints.append(ServiceEndpoint(service: "Microsoft.Storage", locations: [location ?? "*"]))
                    }
                    subnet.serviceEndpointPolicies.append(policyID)
                }
            }
        }
    }
}
