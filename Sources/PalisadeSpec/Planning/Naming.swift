import PalisadeModel

/// Resource names and IDs for a spec, following privateAML's `<abbreviation>-<name>` pattern
/// and the Cloud Adoption Framework abbreviations.
struct Naming: Sendable {
    let name: String
    let suffix: String
    let subscription: String
    let resourceGroup: String
    let region: AzureRegion
    /// An existing spoke VNet the design reuses, if any.
    let existingVirtualNetwork: ResourceID?

    init(spec: Spec, region: AzureRegion) {
        existingVirtualNetwork = spec.landingZone?.spoke.map { ResourceID($0.virtualNetworkId) }
        name = spec.name
        suffix = spec.suffix ?? Naming.deterministicSuffix(spec)
        subscription = spec.subscriptionID
        resourceGroup = spec.resourceGroup ?? "rg-\(spec.name)"
        self.region = region
    }

    /// Four digits derived from the spec's identity (name, region, address space, subscription), so the
    /// same spec always gives the same globally unique names; privateAML uses four random digits instead.
    static func deterministicSuffix(_ spec: Spec) -> String {
        let seed = "\(spec.name)|\(spec.location.lowercased())|\(spec.network.addressSpace)|\(spec.subscriptionID.lowercased())"
        let hash = StableGUID.fnv1a(seed)
        let digits = String(hash % 10_000)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    var resourceGroupID: ResourceID { .resourceGroup(subscription: subscription, name: resourceGroup) }

    func id(_ namespace: String, _ types: (String, String)...) -> ResourceID {
        ResourceID(subscription: subscription, resourceGroup: resourceGroup, namespace: namespace,
                   types.map { (type: $0.0, name: $0.1) })
    }

    func network(_ type: String, _ resourceName: String) -> ResourceID { id("Microsoft.Network", (type, resourceName)) }

    /// The spoke VNet: the existing one a landing zone names, else `vnet-<name>`.
    var virtualNetwork: ResourceID { existingVirtualNetwork ?? network("virtualNetworks", "vnet-\(name)") }
    func subnet(_ subnetName: String) -> ResourceID { virtualNetwork.child("subnets", subnetName) }
    func networkSecurityGroup(for subnetName: String) -> ResourceID { network("networkSecurityGroups", "nsg-\(subnetName)") }
    var routeTable: ResourceID { network("routeTables", "rt-\(name)") }
    var firewall: ResourceID { network("azureFirewalls", "afw-\(name)") }
    var firewallPolicy: ResourceID { network("firewallPolicies", "afwp-\(name)") }
    var firewallPublicIP: ResourceID { network("publicIPAddresses", "pip-afw-\(name)") }
    var bastion: ResourceID { network("bastionHosts", "bas-\(name)") }
    var bastionPublicIP: ResourceID { network("publicIPAddresses", "pip-bas-\(name)") }
    var gateway: ResourceID { network("virtualNetworkGateways", "vgw-\(name)") }
    var gatewayPublicIP: ResourceID { network("publicIPAddresses", "pip-vgw-\(name)") }
    var serviceEndpointPolicy: ResourceID { network("serviceEndpointPolicies", "se-policy-\(name)") }
    func privateEndpoint(_ purpose: String) -> ResourceID { network("privateEndpoints", "pe-\(purpose)-\(name)") }
    func privateDnsZone(_ zone: String) -> ResourceID { network("privateDnsZones", zone) }
    var jumpboxNIC: ResourceID { network("networkInterfaces", "nic-vm-\(name)") }
    var jumpbox: ResourceID { id("Microsoft.Compute", ("virtualMachines", "vm-\(name)")) }

    var workspace: ResourceID { id("Microsoft.MachineLearningServices", ("workspaces", "mlw-\(name)")) }
    func compute(_ computeName: String) -> ResourceID { workspace.child("computes", computeName) }
    var storageAccount: ResourceID { id("Microsoft.Storage", ("storageAccounts", "st\(name)\(suffix)")) }
    var keyVault: ResourceID { id("Microsoft.KeyVault", ("vaults", "kv-\(name)-\(suffix)")) }
    var containerRegistry: ResourceID { id("Microsoft.ContainerRegistry", ("registries", "cr\(name)\(suffix)")) }
    var openAI: ResourceID { id("Microsoft.CognitiveServices", ("accounts", "oai-\(name)-\(suffix)")) }
    var applicationInsights: ResourceID { id("Microsoft.Insights", ("components", "appi-\(name)")) }
    var logAnalytics: ResourceID { id("Microsoft.OperationalInsights", ("workspaces", "log-\(name)")) }
    var privateLinkScope: ResourceID { id("Microsoft.Insights", ("privateLinkScopes", "ampls-\(name)")) }
    var userAssignedIdentity: ResourceID { id("Microsoft.ManagedIdentity", ("userAssignedIdentities", "id-\(name)")) }
}
