/// The commented starter spec `palisade init` writes. Every value shown is the default, so the file plans
/// exactly like no spec at all; a test keeps the two in step.
public enum StarterSpec {
    /// The file's text.
    public static let text = """
    # Palisade spec: a network-isolated Azure Machine Learning environment.
    # Every key is optional; the values below are the secure defaults. Delete what you do not change.
    # Schema: schema/palisade-spec.schema.json   Defaults and their sources: docs/defaults.md
    version: 1
    name: test                 # 1-16 lower-case letters/digits; part of every resource name
    location: westeurope       # Azure region
    # suffix: "1234"           # for globally unique names; derived from the spec when absent
    # subscriptionId: 00000000-0000-0000-0000-000000000000
    # resourceGroup: rg-test

    network:
      addressSpace: 10.1.0.0/22
      # subnets:               # omit to let Palisade lay them out; otherwise give prefix, newbits or size
      #   - { name: snet-training, size: 24, uses: [compute] }
      #   - { name: snet-endpoints, size: 26, uses: [privateEndpoints] }
      #   - { name: snet-jumpbox, size: 28, uses: [jumpbox] }
      #   - { name: AzureFirewallSubnet, size: 26 }
      #   - { name: AzureBastionSubnet, size: 26 }

    workspace:
      publicNetworkAccess: false
      highBusinessImpact: true
      systemDatastoresAuthMode: identity
      managedNetwork:
        isolationMode: Disabled  # or AllowInternetOutbound / AllowOnlyApprovedOutbound

    compute:
      publicIp: false          # no-public-IP compute; management flows over private link
      imageBuild: true         # the cluster builds images (the registry is private)
      cluster:
        name: cpu-cluster
        vmSize: Standard_DS3_v2
        minNodes: 0
        maxNodes: 4
      # instance:
      #   name: ci-alice
      #   assignedUser: 00000000-0000-0000-0000-000000000000

    storage:
      services: [blob, file]   # add queue, table, dfs for batch endpoints or ADLS
      sharedKeyAccess: false
      # sku: Standard_ZRS      # default: Standard_ZRS where the region has availability zones, else Standard_LRS

    keyVault:
      rbacAuthorization: true
      purgeProtection: true

    registry:
      sku: Premium
      adminUser: false

    monitoring:
      privateLinkScope: true
      accessMode: Open        # Azure Machine Learning requires the open Private Link mode of Azure Monitor
      diagnostics: true

    firewall:
      sku: Standard
      dnsProxy: true
      threatIntelMode: Deny
      profile: aml-required
      packageRepositories: []  # further repositories, e.g. [cran, pytorch]
      allowFqdns: []

    packageSources: [pypi, conda]  # or none (air-gapped), or a private mirror's host name

    access:
      bastion:
        enabled: true
        sku: Standard
      jumpbox:
        enabled: true
        os: windows
      vpn:
        enabled: false
        clientAddressPool: 172.16.201.0/24
        # sku: VpnGw1AZ        # default: VpnGw1AZ where the region has availability zones, else VpnGw1

    """
}
