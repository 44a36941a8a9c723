import PalisadeModel
import PalisadeNetwork

/// Proof: from the Internet, nothing is reachable except Bastion's public IP on 443 and declared DNAT rules.
public struct InternetExposureRule: Rule {
    public static let description = RuleDescription(
        id: "internet_exposure",
        title: "Internet Exposure",
        kind: .security,
        defaultSeverity: .error,
        rationale: """
        An isolated environment accepts people only through Bastion (or the VPN). The engine traces packets from \
        the Internet to every public front (NIC public IPs, Bastion, firewall DNAT) on the management and service \
        ports; any allowed path other than Bastion on 443 or a DNAT rule is an exposure.
        """,
        source: "docs/semantics.md#public-fronts; https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview; https://learn.microsoft.com/azure/firewall/rule-processing",
        fix: "remove the public IP or the NSG rule that allows the traffic; reach the machine through Bastion",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "vms", "properties": {"addressPrefix": "10.0.1.0/24",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-open')]"}}}]}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-open", "location": "westeurope",
             "properties": {"securityRules": [{"name": "rdp", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow",
               "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
               "destinationPortRange": "3389"}}]}},
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-vm", "location": "westeurope",
             "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static", "ipAddress": "20.1.2.3"}},
            {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "nic-vm", "location": "westeurope",
             "properties": {"ipConfigurations": [{"name": "ipconfig", "properties": {
               "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'vms')]"},
               "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-vm')]"}}}]}}
            """, flagging: ["nic-vm"]),
        ]
    )

    /// Ports probed on every public front.
    static let probedPorts = [22, 80, 443, 445, 3389, 5985, 5986, 8080]

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        // Firewall DNAT rules are declared exposure (docs/semantics.md#firewall-dnat); gateways terminate VPN tunnels, not TCP services.
        for (address, front) in context.network.publicFronts.sorted(by: { $0.key < $1.key })
        where front.kind != .azureFirewall && front.kind != .virtualNetworkGateway {
            let open = Self.probedPorts.compactMap { port -> Trace? in
                if front.kind == .bastionHost && port == 443 { return nil }  // the one intended front door
                let trace = context.network.trace(from: .internet, to: .address(address), port: port, protocol: .tcp)
                return trace.verdict == .allowed ? trace : nil
            }
            guard let first = open.first, let resource = context.graph[front.resource] else { continue }
            findings.append(Finding(
                ruleID: Self.description.id, severity: Self.description.defaultSeverity,
                message: "resource '\(front.resource.name)' accepts connections from the Internet on \(address) port(s) \(open.map { "\($0.port)" }.joined(separator: ", "))",
                subject: front.resource, resourceType: resource.type, location: resource.source,
                evidence: [.trace(first)], fix: Self.description.fix))
        }
        return findings
    }
}

// MARK: - Fix

extension InternetExposureRule {
    /// Takes the public IP off the network interface, so nothing on the Internet reaches it; people come in through
    /// Bastion or the VPN (https://learn.microsoft.com/azure/virtual-network/ip-services/remove-public-ip-address-vm).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let nic = context.graph.resource(finding.subject, as: NetworkInterface.self) else { return nil }
        return context.propose("detach the public IP from '\(nic.name)'") { graph in
            graph.update(nic.id, as: NetworkInterface.self) { nic in
                for index in nic.ipConfigurations.indices { nic.ipConfigurations[index].publicIPAddress = nil }
            }
        }
    }
}
