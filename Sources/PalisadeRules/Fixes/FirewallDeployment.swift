import PalisadeModel
import PalisadeNetwork

/// An Azure Firewall added to an estate that has none, the way Learn deploys one: AzureFirewallSubnet (a /26) in the
/// VNet, a Standard static public IP, a Standard firewall whose private address is the first usable one of its subnet,
/// and a firewall policy (threat intelligence Deny, DNS proxy on so FQDN network rules resolve as clients do) with no
/// rules yet, so everything is denied until rules allow it
/// (https://learn.microsoft.com/azure/firewall/tutorial-firewall-deploy-portal-policy,
/// https://learn.microsoft.com/azure/firewall/dns-settings).
extension ResourceGraph {
    /// The first `/length` block of the VNet's address space that no subnet overlaps.
    func freePrefix(in vnet: VirtualNetwork, length: Int) -> IPv4Prefix? {
        let used = subnets(of: vnet.id).flatMap(\.addressPrefixes)
        for space in vnet.addressSpace where space.length <= length {
            let count = 1 << min(20, length - space.length)
            for index in 0..<count {
                guard let candidate = space.subnet(newBits: length - space.length, index: index) else { break }
                if !used.contains(where: { $0.overlaps(candidate) }) { return candidate }
            }
        }
        return nil
    }

    /// Deploys the firewall in `vnetID`; its private address, or nil when the VNet has no free /26 or already has an
    /// AzureFirewallSubnet.
    mutating func deployFirewall(in vnetID: ResourceID) -> (firewall: ResourceID, address: IPv4Address)? {
        guard let vnet = resource(vnetID, as: VirtualNetwork.self),
              !subnets(of: vnetID).contains(where: { $0.name.lowercased() == "azurefirewallsubnet" }),
              let prefix = freePrefix(in: vnet, length: 26) else { return nil }
        var subnet = Subnet(id: vnetID.child("subnets", "AzureFirewallSubnet"))
        subnet.addressPrefixes = [prefix]
        insert(subnet)
        let base = vnet.name.lowercased()
        var address = PublicIPAddress(id: vnetID.sibling(namespace: "Microsoft.Network", type: "publicIPAddresses", name: "pip-afw-\(base)"), location: vnet.location)
        address.sku = "Standard"
        address.allocationMethod = "Static"
        insert(address)
        var policy = FirewallPolicy(id: vnetID.sibling(namespace: "Microsoft.Network", type: "firewallPolicies", name: "afwp-\(base)"), location: vnet.location)
        policy.threatIntelMode = .deny
        policy.dnsProxyEnabled = true
        insert(policy)
        var firewall = AzureFirewall(id: vnetID.sibling(namespace: "Microsoft.Network", type: "azureFirewalls", name: "afw-\(base)"), location: vnet.location)
        var configuration = IPConfiguration(name: "ipconfig", subnet: subnet.id, publicIPAddress: address.id)
        configuration.privateIPAddress = prefix.firstAzureUsable
        firewall.ipConfigurations = [configuration]
        firewall.firewallPolicy = policy.id
        firewall.threatIntelMode = .deny
        insert(firewall)
        return (firewall.id, prefix.firstAzureUsable)
    }
}
