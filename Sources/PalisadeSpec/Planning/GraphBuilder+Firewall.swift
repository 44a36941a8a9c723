import Foundation
import PalisadeModel

extension GraphBuilder {
    /// Azure Firewall with a Firewall Policy (Standard, DNS proxy, threat intel) carrying the allow-list.
    /// Assumes `addNetwork` placed AzureFirewallSubnet.
    mutating func addFirewall() {
        guard spec.firewallEnabled, let subnet = plan.subnet(named: SpecialSubnet.firewall.rawValue) else { return }
        insert(PublicIPAddress(id: naming.firewallPublicIP, location: location))
        var firewall = AzureFirewall(id: naming.firewall, location: location)
        firewall.skuTier = spec.firewall.sku
        var ipConfiguration = IPConfiguration(name: "ipconfig", subnet: naming.subnet(subnet.name),
                                              publicIPAddress: naming.firewallPublicIP)
        ipConfiguration.privateIPAddress = firewallPrivateIP
        ipConfiguration.privateIPAllocationMethod = "Dynamic"
        firewall.ipConfigurations = [ipConfiguration]
        firewall.firewallPolicy = naming.firewallPolicy
        firewall.threatIntelMode = spec.firewall.threatIntelMode
        insert(firewall)

        var policy = FirewallPolicy(id: naming.firewallPolicy, location: location)
        policy.skuTier = spec.firewall.sku
        policy.threatIntelMode = spec.firewall.threatIntelMode
        policy.dnsProxyEnabled = spec.firewall.dnsProxy
        // privateAML's allow-list has no network rules for the AML service tags, so compute behind it could not
        // come up; the profile keeps privateAML's collections and adds the required ones after them.
        policy.ruleCollectionGroups = spec.firewall.profile == .privateAML
            ? privateAMLRuleCollectionGroups() + amlRuleCollectionGroups(basePriority: 500)
            : amlRuleCollectionGroups(basePriority: 200)
        insert(policy)
    }

    private func sources(_ use: SubnetUse) -> [String] {
        deployedSubnets.filter { hosts($0, use) }.map(\.prefix.description)
    }

    /// The AML required rules for the chosen compute mode, the declared package sources, and what people on the
    /// jumpbox need for studio. Every subnet routed to the firewall is a source: compute and scoring subnets get
    /// the compute rules (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall),
    /// jumpbox subnets the studio rules.
    func amlRuleCollectionGroups(basePriority: Int) -> [FirewallRuleCollectionGroup] {
        let compute = sources(.compute) + sources(.scoring).filter { !sources(.compute).contains($0) }
        let jumpbox = sources(.jumpbox)
        var groups: [FirewallRuleCollectionGroup] = []
        if !compute.isEmpty {
            let network = AMLRequirements.networkRequirements(
                highBusinessImpact: spec.workspace.highBusinessImpact, privateMonitor: spec.monitoring.privateLinkScope)
            let networkRules = network.map { requirement in
                FirewallRule.network(NetworkRule(
                    name: "\(requirement.id.lowercased())-\(requirement.protocol == .udp ? "udp" : "tcp")-\(requirement.destinationText(in: naming.region).lowercased())",
                    protocols: [requirement.protocol], sourceAddresses: compute,
                    destinationAddresses: [requirement.destinationText(in: naming.region)],
                    destinationPorts: requirement.ports.map(String.init)))
            }
            let applicationRules = AMLRequirements.applicationRequirements.map { requirement in
                FirewallRule.application(ApplicationRule(
                    name: "\(requirement.id.lowercased())-\(requirement.destinationText(in: naming.region).replacingOccurrences(of: "*.", with: "any."))",
                    protocols: requirement.ports.map { ApplicationProtocol("Https", $0) }, sourceAddresses: compute,
                    targetFqdns: [requirement.destinationText(in: naming.region)]))
            }
            groups.append(FirewallRuleCollectionGroup(name: "aml-required", priority: basePriority, ruleCollections: [
                FirewallRuleCollection(name: "aml-service-tags", priority: 100, action: .allow, rules: networkRules),
                FirewallRuleCollection(name: "aml-fqdns", priority: 200, action: .allow, rules: applicationRules),
            ]))
            let packages = AMLRequirements.packageHosts(spec.packageSources.entries + spec.firewall.packageRepositories.map(\.rawValue)
                + spec.firewall.allowFqdns)
            if !packages.isEmpty {
                groups.append(FirewallRuleCollectionGroup(name: "package-repositories", priority: basePriority + 100, ruleCollections: [
                    FirewallRuleCollection(name: "packages", priority: 100, action: .allow, rules: [
                        .application(ApplicationRule(name: "allow-packages", protocols: [.https], sourceAddresses: compute,
                                                     targetFqdns: packages)),
                    ]),
                ]))
            }
        }
        if !jumpbox.isEmpty {
            groups.append(FirewallRuleCollectionGroup(name: "jumpbox", priority: basePriority + 200, ruleCollections: [
                FirewallRuleCollection(name: "studio", priority: 100, action: .allow, rules: [
                    .application(ApplicationRule(name: "studio-and-sign-in", protocols: [.https], sourceAddresses: jumpbox,
                                                 targetFqdns: AMLRequirements.jumpboxFqdns)),
                ]),
            ]))
        }
        return groups
    }

    /// privateAML's classic collections, carried verbatim into a policy.
    private func privateAMLRuleCollectionGroups() -> [FirewallRuleCollectionGroup] {
        let shared = sources(.compute) + sources(.jumpbox).filter { !sources(.compute).contains($0) }
        let protocols = [ApplicationProtocol.https, .http]
        let storageTag = naming.region.tag("Storage")
        return [
            FirewallRuleCollectionGroup(name: "privateaml-network", priority: 200, ruleCollections: [
                FirewallRuleCollection(name: "general", priority: 100, action: .allow, rules: [
                    .network(NetworkRule(name: "time", protocols: [.udp], sourceAddresses: ["*"], destinationAddresses: ["*"],
                                         destinationPorts: ["123"])),
                ]),
                FirewallRuleCollection(name: "shared", priority: 101, action: .allow, rules: [
                    .network(NetworkRule(name: "allowStorage", protocols: [.tcp], sourceAddresses: shared,
                                         destinationAddresses: [storageTag, "AzureContainerRegistry"], destinationPorts: ["*"])),
                ]),
            ]),
            FirewallRuleCollectionGroup(name: "privateaml-application", priority: 300, ruleCollections: [
                FirewallRuleCollection(name: "arc-shared_subnet", priority: 100, action: .allow, rules: [
                    .application(ApplicationRule(name: "allowMLrelated", protocols: protocols, sourceAddresses: shared,
                                                 targetFqdns: Self.privateAMLMLRelated)),
                    .application(ApplicationRule(name: "allowADrelated", protocols: protocols, sourceAddresses: shared,
                                                 targetFqdns: Self.privateAMLADRelated)),
                    .application(ApplicationRule(name: "admin-resources", protocols: protocols, sourceAddresses: shared,
                                                 targetFqdns: Self.privateAMLAdminResources)),
                ]),
            ]),
        ]
    }

    /// privateAML's `allowMLrelated` targets.
    static let privateAMLMLRelated = ["ml.azure.com", "viennaglobal.azurecr.io", "*openml.org"]
    /// privateAML's `allowADrelated` targets.
    static let privateAMLADRelated = [
        "enterpriseregistration.windows.net", "169.254.169.254", "login.microsoftonline.com", "pas.windows.net",
        "*manage-beta.microsoft.com", "*manage.microsoft.com", "login.windows.net", "msft.sts.microsoft.com",
    ]
    /// privateAML's `admin-resources` targets.
    static let privateAMLAdminResources = [
        "binstar-cio-packages-prod.s3.amazonaws.com", "conda.anaconda.org", "repo.anaconda.com",
        "azure.archive.ubuntu.com", "go.microsoft.com", "*.azureedge.net", "*github.com", "*githubassets.com",
        "*powershellgallery.com", "git-scm.com", "*githubusercontent.com", "*core.windows.net", "aka.ms",
        "management.azure.com", "graph.microsoft.com", "login.microsoftonline.com", "aadcdn.msftauth.net",
        "graph.windows.net",
    ]
    /// Every host name privateAML's application rules allow (its allow-list is declared egress of that profile).
    static var privateAMLApplicationTargets: [String] { privateAMLMLRelated + privateAMLADRelated + privateAMLAdminResources }
}
