import PalisadeModel
import PalisadeNetwork

/// The compute subnet's NSG must let 443 and 445 out to Storage.
public struct ComputeStoragePortsBlockedRule: Rule {
    public static let description = RuleDescription(
        id: "compute_storage_ports_blocked",
        title: "Compute Storage Ports Blocked",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Compute nodes mount the workspace file share over SMB (445) and read blobs over HTTPS (443). When the \
        compute subnet's NSG denies either port towards the Storage service tag before any rule allows it, setup \
        fails with StorageMountError: "Failed to mount storage. … make sure to allow outbound connection to ports \
        443, 445 for storage service tag."
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
        fix: "add an outbound NSG rule allowing TCP 443 and 445 to Storage.<region> with a lower priority number than the deny rule",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-training", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowStorageHttps", "properties": {"priority": 100, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "Storage.WestEurope",
                "destinationPortRange": "443"}},
               {"name": "DenyInternet", "properties": {"priority": 4000, "direction": "Outbound", "access": "Deny", "protocol": "*",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "Internet", "destinationPortRange": "*"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "dependsOn": ["[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-training')]"],
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-training')]"}}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            guard let nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self) else { return nil }
            let order = nsg.evaluationOrder(.outbound)
            let blocked: [(port: Int, rule: SecurityRule)] = [443, 445].compactMap { port in
                guard let first = order.first(where: { Self.matches($0, port: port, from: subnet) }), first.access == .deny else { return nil }
                return (port, first)
            }
            guard !blocked.isEmpty else { return nil }
            let computes = context.computes(in: subnet.id)
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' hosts compute (\(computes.map(\.name).joined(separator: ", "))) but NSG '\(nsg.name)' denies outbound TCP \(blocked.map { String($0.port) }.joined(separator: " and ")) to Storage; setup will fail with StorageMountError (\"Failed to mount storage\")",
                evidence: blocked.map { .property(nsg.id, "properties.securityRules[\($0.rule.name)]", "first match for TCP \($0.port) to Storage: \($0.rule.summary)") })
        }
    }

    /// Whether the rule matches TCP `port` from the subnet to a Storage address (first-match reading, docs/semantics.md#nsg-evaluation-order).
    private static func matches(_ rule: SecurityRule, port: Int, from subnet: Subnet) -> Bool {
        guard rule.matchesTCP, rule.destinationPorts.contains(port) else { return false }
        let source: Bool
        switch rule.source {
        case .any: source = true
        case .serviceTag(let tag): source = tag.lowercased() == "virtualnetwork"
        case .prefixes(let prefixes): source = subnet.addressPrefixes.contains { s in prefixes.contains { $0.contains(s) } }
        default: source = false
        }
        guard source else { return false }
        switch rule.destination {
        case .any: return true
        case .serviceTag(let tag):
            let folded = tag.lowercased()
            return folded == "internet" || folded == "azurecloud" || folded.hasPrefix("azurecloud.")
                || ExfiltrationDestination.isStorageTag(folded)
        case .prefixes(let prefixes): return prefixes.contains { $0.length == 0 }
        default: return false
        }
    }
}

// MARK: - Fix

extension ComputeStoragePortsBlockedRule {
    /// Allows outbound TCP 443 and 445 from the subnet to the region's Storage tag ahead of the deny
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#required-public-internet-access-to-train-models);
    /// Storage is the fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self),
              var nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self) else { return nil }
        let region = context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location ?? context.computes(in: subnet.id).first?.location
        let tag = region.flatMap(AzureRegion.named).map { $0.tag("Storage") } ?? "Storage"
        let order = nsg.evaluationOrder(.outbound)
        let denies = [443, 445].compactMap { port in order.first(where: { Self.matches($0, port: port, from: subnet) }).flatMap { $0.access == .deny ? $0.priority : nil } }
        guard let limit = denies.min() else { return nil }
        let rule = SecurityRule(name: "AllowStorageOutbound", priority: 100, direction: .outbound, access: .allow, protocol: .tcp,
                                source: .prefixes(subnet.addressPrefixes), destination: .serviceTag(tag), destinationPorts: .ranges([PortRange(443), PortRange(445)]))
        guard nsg.insert(rule, before: limit) else { return nil }
        let fixed = nsg
        return context.propose("allow outbound TCP 443 and 445 from '\(subnet.name)' to \(tag) in '\(nsg.name)' ahead of the deny rule",
                               opens: .atom(.tag(tag)).union(.atom(.tag("Storage")))) { $0.insert(fixed) }
    }
}
