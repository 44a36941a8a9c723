import PalisadeModel

/// Inbound SSH, RDP or WinRM open to the internet (checkov CKV_AZURE_9, CKV_AZURE_10 and more).
public struct NetworkSecurityGroupManagementPortsRule: Rule {
    public static let description = RuleDescription(
        id: "nsg_internet_management_ports",
        title: "NSG Internet Management Ports",
        kind: .security,
        defaultSeverity: .error,
        rationale: """
        An inbound Allow rule from *, Internet or 0.0.0.0/0 to port 22, 3389, 5985 or 5986 (any protocol, including \
        UDP 3389) exposes VM management to the whole internet; in an isolated environment people reach VMs through \
        Bastion or the VPN.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview; https://learn.microsoft.com/azure/bastion/bastion-nsg; checkov CKV_AZURE_9/10/77; bridgecrewio/checkov#7271",
        fix: "allow the management port only from AzureBastionSubnet or the VPN client pool, and reach VMs through Bastion",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-jumpbox", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowSsh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-rdp", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowRdpUdp", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Udp",
                "sourceAddressPrefix": "0.0.0.0/0", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "3380-3390"}}]}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-bastion-only", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowSshFromBastion", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "10.0.250.0/26", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}}
            """, flagging: ["nsg-jumpbox", "nsg-rdp"]),
        ]
    )

    public init() {}

    private static let ports = [22, 3389, 5985, 5986]

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(NetworkSecurityGroup.self).compactMap { nsg in
            let open = nsg.securityRules.filter { rule in
                rule.direction == .inbound && rule.access == .allow && rule.source.isInternetWide
                    && Self.ports.contains(where: rule.destinationPorts.contains)
            }.sorted { $0.priority < $1.priority }
            guard !open.isEmpty else { return nil }
            let ports = Self.ports.filter { port in open.contains { $0.destinationPorts.contains(port) } }
            return context.finding(
                Self.self, nsg,
                "network security group '\(nsg.name)' allows inbound port \(ports.map(String.init).joined(separator: ", ")) from the internet (\(open.map(\.name).joined(separator: ", ")))",
                evidence: open.map { .property(nsg.id, "properties.securityRules[\($0.name)]", $0.summary) },
                property: nsg.securityRules.firstIndex { $0.name == open[0].name }.map { "properties.securityRules[\($0)].properties.sourceAddressPrefix" })
        }
    }
}

// MARK: - Fix

extension NetworkSecurityGroupManagementPortsRule {
    /// Narrows each open management rule's source to AzureBastionSubnet (or, without Bastion, the point-to-site
    /// client pool), or deletes it when the estate has neither
    /// (https://learn.microsoft.com/azure/bastion/bastion-nsg#target-vm-subnet).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let nsg = context.graph.resource(finding.subject, as: NetworkSecurityGroup.self) else { return nil }
        let bastion = context.graph.all(Subnet.self).filter { $0.name.lowercased() == "azurebastionsubnet" }.flatMap(\.addressPrefixes)
        let pools = context.network.vpnClientPools
        let narrowed = bastion.isEmpty ? pools : bastion
        let open = Set(nsg.securityRules.filter { rule in
            rule.direction == .inbound && rule.access == .allow && rule.source.isInternetWide && Self.ports.contains(where: rule.destinationPorts.contains)
        }.map(\.name))
        let how = narrowed.isEmpty ? "delete" : "allow only from \(bastion.isEmpty ? "the VPN client pool" : "AzureBastionSubnet") (\(narrowed.map(\.description).joined(separator: ", "))):"
        return context.propose("\(how) \(open.sorted().map { "'\($0)'" }.joined(separator: ", ")) in '\(nsg.name)'") { graph in
            graph.update(nsg.id, as: NetworkSecurityGroup.self) { nsg in
                if narrowed.isEmpty { nsg.securityRules.removeAll { open.contains($0.name) } }
                for index in nsg.securityRules.indices where open.contains(nsg.securityRules[index].name) {
                    nsg.securityRules[index].source = .prefixes(narrowed)
                }
            }
        }
    }
}
