import PalisadeModel

/// A jumpbox or other VM with a public IP bypasses Bastion and the firewall (checkov CKV_AZURE_119).
public struct VirtualMachinePublicIPRule: Rule {
    public static let description = RuleDescription(
        id: "virtual_machine_public_ip",
        title: "Virtual Machine Public IP",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        A public IP on a VM's NIC makes the VM reachable from the internet and gives it a direct way out that \
        skips the firewall's allow-list; in an isolated environment the jumpbox is reached through Bastion or the VPN.
        """,
        source: "https://learn.microsoft.com/azure/bastion/configuration-settings; checkov CKV_AZURE_119; PSRule Azure.VM.PublicIPAttached",
        fix: "remove the public IP from the NIC and reach the VM through Azure Bastion or the VPN gateway",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-jumpbox", "location": "westeurope",
             "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
            {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "nic-jumpbox", "location": "westeurope",
             "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {
               "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'jumpbox')]"},
               "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-jumpbox')]"}}}]}},
            {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "vm-jumpbox", "location": "westeurope",
             "properties": {"hardwareProfile": {"vmSize": "Standard_D2s_v3"},
              "networkProfile": {"networkInterfaces": [{"id": "[resourceId('Microsoft.Network/networkInterfaces', 'nic-jumpbox')]"}]}}},
            {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "nic-spare", "location": "westeurope",
             "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {
               "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'jumpbox')]"},
               "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-jumpbox')]"}}}]}}
            """, flagging: ["vm-jumpbox", "nic-spare"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        // The first VM (in ID order) that uses each NIC.
        var vmOf: [ResourceID: VirtualMachine] = [:]
        for vm in context.graph.all(VirtualMachine.self) {
            for nic in vm.networkInterfaces where vmOf[nic] == nil { vmOf[nic] = vm }
        }
        return context.graph.all(NetworkInterface.self).compactMap { nic in
            let publicIPs = nic.ipConfigurations.compactMap(\.publicIPAddress)
            guard !publicIPs.isEmpty else { return nil }
            let evidence: [Evidence] = publicIPs.map { .property(nic.id, "properties.ipConfigurations[].properties.publicIPAddress", $0.name) }
            if let vm = vmOf[nic.id] {
                return context.finding(Self.self, vm, "virtual machine '\(vm.name)' has public IP \(publicIPs.map { "'\($0.name)'" }.joined(separator: ", ")) on NIC '\(nic.name)'",
                                       evidence: evidence)
            }
            return context.finding(Self.self, nic, "network interface '\(nic.name)' has public IP \(publicIPs.map { "'\($0.name)'" }.joined(separator: ", "))",
                                   evidence: evidence)
        }
    }
}

// MARK: - Fix

extension VirtualMachinePublicIPRule {
    /// Detaches the public IPs from the NIC; people reach the VM through Bastion or the VPN
    /// (https://learn.microsoft.com/azure/virtual-network/ip-services/remove-public-ip-address-vm).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let nics: [ResourceID]
        if let vm = context.graph.resource(finding.subject, as: VirtualMachine.self) { nics = vm.networkInterfaces }
        else if context.graph.resource(finding.subject, as: NetworkInterface.self) != nil { nics = [finding.subject] }
        else { return nil }
        return context.propose("detach the public IP from \(nics.map { "'\($0.name)'" }.joined(separator: ", "))") { graph in
            for nic in nics {
                graph.update(nic, as: NetworkInterface.self) { nic in
                    for index in nic.ipConfigurations.indices { nic.ipConfigurations[index].publicIPAddress = nil }
                }
            }
        }
    }
}
