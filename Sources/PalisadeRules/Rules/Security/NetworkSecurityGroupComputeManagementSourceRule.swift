import PalisadeModel

/// The compute management ports (TCP 44224, 29876-29877) opened to the whole internet instead of the service tag.
public struct NetworkSecurityGroupComputeManagementSourceRule: Rule {
    public static let description = RuleDescription(
        id: "nsg_compute_management_source",
        title: "NSG Compute Management Source",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        Azure Machine Learning manages compute instances and clusters with public IPs over inbound TCP 44224 from the \
        AzureMachineLearning service tag, and the Batch service over TCP 29876-29877 from the BatchNodeManagement \
        service tag. An Allow rule for these ports from *, Internet or 0.0.0.0/0 lets anyone on the internet reach \
        the ports, which the service never needs; no-public-IP compute needs neither rule.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall; https://learn.microsoft.com/azure/virtual-network/service-tags-overview",
        fix: "set the rule's source to the AzureMachineLearning service tag (TCP 44224) or BatchNodeManagement (TCP 29876-29877), or remove it and use no-public-IP compute",
        passingExamples: [
            .spec("{}"),
            .spec("compute: {publicIp: true}"),
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-training", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AzureML", "properties": {"priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "AzureMachineLearning", "sourcePortRange": "*", "destinationAddressPrefix": "VirtualNetwork", "destinationPortRange": "44224"}}]}}
            """),
        ],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-shared", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "allow-AzureML-inbound", "properties": {"priority": 201, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "VirtualNetwork", "destinationPortRanges": ["44224"]}}]}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-batch", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "batch", "properties": {"priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "*",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "29876-29877"}}]}}
            """, flagging: ["nsg-shared", "nsg-batch"]),
        ]
    )

    public init() {}

    /// Each management port with the service tag Azure sends it from.
    private static let ports: [(port: Int, tag: String)] = [(44224, "AzureMachineLearning"), (29876, "BatchNodeManagement"), (29877, "BatchNodeManagement")]

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(NetworkSecurityGroup.self).compactMap { nsg in
            let open = nsg.securityRules.filter { rule in
                rule.direction == .inbound && rule.access == .allow && rule.source.isInternetWide
                    && [NetworkProtocol.tcp, .any].contains(rule.protocol) && Self.ports.contains { rule.destinationPorts.contains($0.port) }
            }.sorted { $0.priority < $1.priority }
            guard let first = open.first else { return nil }
            let hit = Self.ports.filter { port in open.contains { $0.destinationPorts.contains(port.port) } }
            let ports = hit.map { String($0.port) }.joined(separator: ", ")
            let tags = Array(Set(hit.map(\.tag))).sorted().joined(separator: " and ")
            return context.finding(
                Self.self, nsg,
                "network security group '\(nsg.name)' allows inbound TCP \(ports) from the internet (\(open.map(\.name).joined(separator: ", "))); Azure sends compute management traffic only from \(tags)",
                evidence: open.map { .property(nsg.id, "properties.securityRules[\($0.name)]", $0.summary) },
                property: nsg.securityRules.firstIndex { $0.name == first.name }.map { "properties.securityRules[\($0)].properties.sourceAddressPrefix" })
        }
    }
}

// MARK: - Fix

extension NetworkSecurityGroupComputeManagementSourceRule {
    /// Narrows each rule's source from the internet to the service tag Azure sends the ports from
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecluster-with-public-ip):
    /// AzureMachineLearning for 44224, BatchNodeManagement for 29876-29877. A rule that opens both keeps the first tag
    /// and gets a copy for the second, so every packet it still admits was admitted before.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let nsg = context.graph.resource(finding.subject, as: NetworkSecurityGroup.self) else { return nil }
        let open = nsg.securityRules.filter { rule in
            rule.direction == .inbound && rule.access == .allow && rule.source.isInternetWide
                && [NetworkProtocol.tcp, .any].contains(rule.protocol) && Self.ports.contains { rule.destinationPorts.contains($0.port) }
        }
        guard !open.isEmpty else { return nil }
        return context.propose("narrow the source of \(open.map { "'\($0.name)'" }.joined(separator: ", ")) in '\(nsg.name)' from the internet to the AzureMachineLearning or BatchNodeManagement service tag") { graph in
            graph.update(nsg.id, as: NetworkSecurityGroup.self) { group in
                for rule in open {
                    let tags = Array(Set(Self.ports.filter { rule.destinationPorts.contains($0.port) }.map(\.tag))).sorted()
                    guard let index = group.securityRules.firstIndex(where: { $0.name == rule.name }), let first = tags.first else { continue }
                    group.securityRules[index].source = .serviceTag(first)
                    for tag in tags.dropFirst() {
                        var copy = group.securityRules[index]
                        copy.name = "\(rule.name)-\(tag)"
                        copy.source = .serviceTag(tag)
                        _ = group.insert(copy)
                    }
                }
            }
        }
    }
}
