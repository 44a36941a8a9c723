import Foundation
import PalisadeDiff
import PalisadeModel
import PalisadeNetwork
import PalisadeRules
import PalisadeSpec
import Testing

/// The fixes that open or close flows are computed from the model: the exact destination, port and source of the
/// blocked flow, at the hop its trace names, and re-verified.
@Suite struct FlowFixTests {
    /// The graph of an ARM example, its findings of `rule`, and a review of their fixes.
    func review(_ example: RuleExample, _ rule: String) throws -> (ResourceGraph, [Finding], FixReview) {
        let graph = try ExampleLoader.graph(example)
        let all = Checker.run(graph)
        return (graph, all.filter { $0.ruleID == rule }, FixReview(graph: graph, findings: all))
    }

    /// The changed graph the rule proposes for `finding`.
    func proposed(_ rule: any Rule.Type, _ finding: Finding, _ graph: ResourceGraph) throws -> ResourceGraph {
        try #require(rule.init().proposeFix(for: finding, in: RuleContext(graph: graph))).graph
    }

    static let subnetWithDeny = RuleExample.arm("""
    {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-training", "location": "westeurope",
     "properties": {"securityRules": [
       {"name": "AllowInternet", "properties": {"priority": 200, "direction": "Outbound", "access": "Allow", "protocol": "*",
        "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "Internet", "destinationPortRange": "*"}},
       {"name": "DenyEntra", "properties": {"priority": 150, "direction": "Outbound", "access": "Deny", "protocol": "*",
        "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "AzureActiveDirectory", "destinationPortRange": "*"}}]}},
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
      "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.4.0/24",
        "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-training')]"}}}]}},
    {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
     "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
      "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
    """)

    @Test func blockedRequiredFlowIsAllowedAheadOfTheDenyingRule() throws {
        let (graph, findings, review) = try review(Self.subnetWithDeny, "required_destination_blocked")
        let finding = try #require(findings.first)
        #expect(finding.message.contains("AzureActiveDirectory"))
        let after = try proposed(RequiredDestinationBlockedRule.self, finding, graph)
        let nsg = try #require(after.all(NetworkSecurityGroup.self).first)
        let added = nsg.securityRules.filter { $0.destination == .serviceTag("AzureActiveDirectory") && $0.access == .allow }
        // Entra ID is required on TCP 80 (its first port) and, for login.microsoftonline.com, TCP 443: one rule each,
        // from the subnet's own range, ahead of DenyEntra (150).
        #expect(Set(added.map(\.destinationPorts)) == [.ranges([PortRange(80)]), .ranges([PortRange(443)])])
        #expect(added.allSatisfy { $0.priority < 150 && $0.direction == .outbound && $0.protocol == .tcp })
        #expect(added.allSatisfy { $0.source == .prefixes([IPv4Prefix("10.0.4.0/24")!]) })
        // The rest of the NSG is as it was.
        #expect(nsg.securityRules.count == 4)
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
        #expect(fix.arm?.contains("AzureActiveDirectory") == true)
    }

    @Test func mustReachIntentThroughTheFirewallGetsAnApplicationRuleForExactlyThatName() throws {
        let (design, diagnostics) = SpecLoader().design(yaml: "intents:\n  - from: cpu-cluster\n    mustReach: [example.org]\n    ports: [8443]\n", file: "spec.yaml")
        let planned = try #require(design, "\(diagnostics.errors)")
        let context = RuleContext(graph: planned.graph, intents: planned.intents, declaredEgress: planned.declaredEgress)
        let finding = try #require(IntentViolatedRule().check(context).first)
        let proposal = try #require(IntentViolatedRule().proposeFix(for: finding, in: context))
        let policy = try #require(proposal.graph.all(FirewallPolicy.self).first)
        let group = try #require(policy.ruleCollectionGroups.first { $0.name == "required-flows" })
        let rules = group.ruleCollections.flatMap(\.rules)
        #expect(rules.count == 1)
        guard case .application(let rule)? = rules.first else { Issue.record("expected an application rule"); return }
        let training = try #require(planned.graph.all(Subnet.self).first { $0.name == "snet-training" })
        #expect(rule.targetFqdns == ["example.org"])
        #expect(rule.protocols == [ApplicationProtocol("Https", 8443)])
        #expect(rule.sourceAddresses == training.addressPrefixes.map(\.description))
        #expect(proposal.specPatches == [SpecPatch("firewall.allowFqdns", "[\"example.org\"]")])
        // Other groups are untouched.
        let before = try #require(planned.graph.all(FirewallPolicy.self).first)
        #expect(policy.ruleCollectionGroups.filter { $0.name != "required-flows" } == before.ruleCollectionGroups)
    }

    @Test func privateComputeSubnetWithoutFirewallLetsOutOnlyTheRequiredTags() throws {
        let example = try #require(ComputeEgressPathRule.description.failingExamples.first)
        let (graph, findings, review) = try review(example, "compute_egress_path")
        let finding = try #require(findings.first { $0.subject.name == "private" })
        // In a spec the firewall is switched on; a template gets the narrow egress.
        let proposal = try #require(ComputeEgressPathRule().proposeFix(for: finding, in: RuleContext(graph: graph)))
        #expect(proposal.specOnly && proposal.specPatches == [SpecPatch("firewall.enabled", "true")])
        let after = try #require(proposal.forOtherInputs.first).graph
        let subnet = try #require(after.resource(finding.subject, as: Subnet.self))
        #expect(subnet.natGateway != nil)
        let table = try #require(after.resource(subnet.routeTable, as: RouteTable.self))
        #expect(table.routes.contains { $0.destination == .prefix(IPv4Prefix("0.0.0.0/0")!) && $0.nextHopType == .none })
        #expect(table.routes.contains { $0.destination == .serviceTag("AzureActiveDirectory") && $0.nextHopType == .internet })
        #expect(table.routes.allSatisfy { route in
            if case .serviceTag = route.destination { route.nextHopType == .internet } else { route.nextHopType == .none }
        })
        let nsg = try #require(after.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self))
        #expect(nsg.securityRules.contains { $0.access == .deny && $0.destination == .serviceTag("Internet") })
        #expect(nsg.securityRules.filter { $0.access == .allow }.allSatisfy { $0.destinationPorts != .any && $0.destination != .serviceTag("Internet") })
        #expect(review.fix(for: finding).status == .verified)
    }

    @Test func storageRuleNamingAnAccountBecomesAPrivateEndpointRule() throws {
        let example = RuleExample.arm("""
        {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stdata", "location": "westeurope",
         "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}},
        {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
         "properties": {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "outboundRules": {
           "data": {"type": "FQDN", "destination": "stdata.dfs.core.windows.net"},
           "pypi": {"type": "FQDN", "destination": "pypi.org"}}}}}
        """)
        let (graph, findings, _) = try review(example, "managed_network_limits")
        let finding = try #require(findings.first)
        let after = try proposed(ManagedNetworkLimitsRule.self, finding, graph)
        let rules = try #require(after.resource(finding.subject, as: MachineLearningWorkspace.self)).managedNetwork.outboundRules
        let storage = try #require(graph.all(StorageAccount.self).first)
        #expect(rules.contains { $0.kind == .privateEndpoint && $0.name == "data" && $0.serviceResourceID == storage.id && $0.subresourceTarget == "dfs" })
        #expect(rules.contains { $0.kind == .fqdn && $0.fqdn == "pypi.org" })
        #expect(!rules.contains { $0.fqdn?.contains("core.windows.net") == true })
    }

    @Test func customDnsServerVNetIsLinkedAndAnUnknownServerGivesWayToAzureDNS() throws {
        let example = try #require(VirtualNetworkCustomDnsRule.description.failingExamples.first)
        let (graph, findings, review) = try review(example, "virtual_network_custom_dns")
        let linked = try #require(findings.first { $0.subject.name == "vnet" })
        let after = try proposed(VirtualNetworkCustomDnsRule.self, linked, graph)
        let zone = try #require(after.all(PrivateDnsZone.self).first)
        #expect(zone.virtualNetworkLinks.contains { $0.virtualNetwork.name == "vnet-dns" })
        #expect(after.resource(linked.subject, as: VirtualNetwork.self)?.dnsServers == [IPv4Address("10.9.0.4")!])
        let unknown = try #require(findings.first { $0.subject.name == "vnet-onprem-dns" })
        let replaced = try proposed(VirtualNetworkCustomDnsRule.self, unknown, graph)
        #expect(replaced.resource(unknown.subject, as: VirtualNetwork.self)?.dnsServers == [])
        #expect(review.fix(for: linked).status == .verified && review.fix(for: unknown).status == .verified)
    }

    @Test func bypassingEgressWithoutFirewallGetsOneThatAllowsOnlyWhatComputeNeeds() throws {
        let example = try #require(EgressBypassesFirewallRule.description.failingExamples.first)
        let (graph, findings, review) = try review(example, "egress_bypasses_firewall")
        let finding = try #require(findings.first)
        let after = try proposed(EgressBypassesFirewallRule.self, finding, graph)
        // AzureFirewallSubnet takes the first free /26 of the VNet (10.0.1.0/24 is the training subnet's).
        let firewallSubnet = try #require(after.all(Subnet.self).first { $0.name == "AzureFirewallSubnet" })
        #expect(firewallSubnet.addressPrefixes == [IPv4Prefix("10.0.0.0/26")!])
        let firewall = try #require(after.all(AzureFirewall.self).first)
        #expect(firewall.privateIPAddress == IPv4Address("10.0.0.4"))
        let subnet = try #require(after.resource(finding.subject, as: Subnet.self))
        let table = try #require(after.resource(subnet.routeTable, as: RouteTable.self))
        #expect(table.routes.contains { $0.destination == .prefix(IPv4Prefix("0.0.0.0/0")!) && $0.nextHopType == .virtualAppliance
            && $0.nextHopIPAddress == IPv4Address("10.0.0.4") })
        let policy = try #require(after.resource(firewall.firewallPolicy, as: FirewallPolicy.self))
        #expect(policy.threatIntelMode == .deny && policy.dnsProxyEnabled)
        let rules = policy.ruleCollectionGroups.flatMap(\.ruleCollections).flatMap(\.rules)
        // Names are granted as names (wildcards as the requirement writes them), never as the tag they resolve to.
        let names = rules.compactMap { rule -> [String]? in if case .application(let r) = rule { r.targetFqdns } else { nil } }.flatMap { $0 }
        #expect(names.contains("*.westeurope.batch.azure.com"))
        let addresses = rules.compactMap { rule -> [String]? in if case .network(let r) = rule { r.destinationAddresses } else { nil } }.flatMap { $0 }
        #expect(addresses.contains("AzureActiveDirectory") && !addresses.contains("AzureFrontDoor.Frontend") && !addresses.contains("*"))
        #expect(rules.allSatisfy { rule in
            switch rule {
            case .network(let r): r.sourceAddresses == ["10.0.1.0/24"]
            case .application(let r): r.sourceAddresses == ["10.0.1.0/24"]
            case .nat: false
            }
        })
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
        #expect(fix.terraform?.contains("azurerm_firewall") == true)
    }

    @Test func boundingIntentIsMadeToHoldByDenyingTheCounterexampleAtTheSourceNSG() throws {
        let example = RuleExample.arm("""
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-a", "location": "westeurope",
         "properties": {"securityRules": []}},
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/22"]},
          "subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.0.0/24", "defaultOutboundAccess": false,
            "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-a')]"}}},
            {"name": "b", "properties": {"addressPrefix": "10.0.1.0/24", "defaultOutboundAccess": false}},
            {"name": "c", "properties": {"addressPrefix": "10.0.2.0/23", "defaultOutboundAccess": false}}]}}
        """)
        let graph = try ExampleLoader.graph(example)
        // Azure's platform addresses (DNS and health, instance metadata) stay reachable from every VNet; the intent permits them.
        let intent = IntentDeclaration(form: .mayReachOnly, name: "a stays in a and b", sources: ["vnet/a"],
                                       destinations: [IntentTarget("10.0.0.0/23"), IntentTarget("168.63.129.16"), IntentTarget("169.254.169.254")])
        let context = RuleContext(graph: graph, intents: [intent])
        let finding = try #require(IntentViolatedRule().check(context).first { $0.message.contains("a stays in a and b") })
        let proposal = try #require(IntentViolatedRule().proposeFix(for: finding, in: context))
        let nsg = try #require(proposal.graph.all(NetworkSecurityGroup.self).first { $0.name == "nsg-a" })
        // Subnet c (where the counterexample lies) is denied from a, whatever the port, ahead of AllowVnetOutBound.
        #expect(nsg.securityRules.contains { $0.access == .deny && $0.direction == .outbound
            && $0.destination == .prefixes([IPv4Prefix("10.0.2.0/23")!]) && $0.source == .prefixes([IPv4Prefix("10.0.0.0/24")!])
            && $0.destinationPorts == .any })
        #expect(!nsg.securityRules.contains { $0.destination == .prefixes([IPv4Prefix("10.0.1.0/24")!]) })
        let review = FixReview(graph: graph, intents: [intent], findings: Checker.run(graph, intents: [intent]))
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
    }

    @Test func blockedRequiredNamesWithoutFirewallGetOneInATemplateAndTheFirewallSwitchInASpec() throws {
        // A template: the firewall is deployed and allows exactly the blocked flows.
        let example = try #require(ComputeEgressPathRule.description.failingExamples.first)
        let (_, findings, review) = try review(example, "required_destination_blocked")
        let finding = try #require(findings.first { $0.subject.name == "private" })
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
        #expect(fix.edits.contains { $0.kind == "added" && $0.type == AzureFirewall.resourceType })
        #expect(fix.specPatches.isEmpty)
        // A spec: the spec's firewall is switched on and the re-planned spec is what is verified and shown.
        let text = "firewall:\n  enabled: false\n"
        let (design, _) = SpecLoader().design(yaml: text, file: "spec.yaml")
        let planned = try #require(design)
        let all = Checker.run(planned.graph, intents: planned.intents, declaredEgress: planned.declaredEgress)
        let specReview = FixReview(graph: planned.graph, intents: planned.intents, declaredEgress: planned.declaredEgress, findings: all,
                                   spec: SpecSource(text: text, file: "spec.yaml"))
        let blocked = try #require(all.first { $0.ruleID == "required_destination_blocked" })
        let specFix = specReview.fix(for: blocked)
        #expect(specFix.status == .verified, "\(specFix.reason ?? "")")
        #expect(specFix.specPatches == [SpecPatch("firewall.enabled", "true")])
        #expect(specFix.edits.contains { $0.kind == "added" && $0.type == AzureFirewall.resourceType })
    }

    /// The catalog's third `intent_violated` example: the intent bounds compute to VirtualNetwork, the firewall also
    /// allows `*.github.com`. The name Azure Machine Learning does not need is closed (it leaves `firewall.allowFqdns`);
    /// what it needs widens the intent, as an edit of the intent's list; the edited spec checks clean of the finding.
    @Test func boundingIntentThatForbidsRequiredTrafficIsWidenedInTheSpecAndTheRestClosed() throws {
        let text = "firewall:\n  allowFqdns: [\"*.github.com\"]\nintents:\n  - from: all computes\n    mayReachOnly: [VirtualNetwork]\n"
        let planned = try #require(SpecLoader().design(yaml: text, file: "spec.yaml").design)
        let all = Checker.run(planned.graph, intents: planned.intents, declaredEgress: planned.declaredEgress)
        let finding = try #require(all.first { $0.ruleID == "intent_violated" && $0.subject.name == "snet-training" && !$0.message.contains("built-in") })
        let review = FixReview(graph: planned.graph, intents: planned.intents, declaredEgress: planned.declaredEgress, findings: all,
                               spec: SpecSource(text: text, file: "spec.yaml"))
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
        #expect(fix.specPatches.contains(SpecPatch("firewall.allowFqdns", "[]")))
        let widen = try #require(fix.specPatches.first { $0.key == "intents.0.mayReachOnly" })
        #expect(widen.value.hasPrefix("[VirtualNetwork, "))
        for required in ["AzureActiveDirectory", "AzureMachineLearning", "login.microsoftonline.com"] { #expect(widen.value.contains(required)) }
        #expect(!widen.value.contains("github"))
        // Shown as YAML, the list element is a list item that says which one it is.
        #expect(widen.yaml == "intents:\n  - mayReachOnly: \(widen.value)  # element 0 of the list, counting from 0")
        #expect(SpecPatch("a.2.b.c", "1").yaml == "a:\n  - b:  # element 2 of the list, counting from 0\n      c: 1")
        #expect(SpecPatch("firewall.allowFqdns", "[]").yaml == "firewall:\n  allowFqdns: []")
        #expect(fix.summary?.contains("forbids what Azure Machine Learning requires") == true)
        #expect(fix.summary?.contains("so the fix adds those to the intent") == true)
        // The edited spec plans and proves the intent.
        let edited = try SpecEditor.apply(fix.specPatches.map { ($0.key, $0.value) }, to: text)
        let replanned = try #require(SpecLoader().design(yaml: edited, file: "spec.yaml").design)
        let again = Checker.run(replanned.graph, intents: replanned.intents, declaredEgress: replanned.declaredEgress)
        #expect(!again.contains { $0.ruleID == "intent_violated" }, "\(again.filter { $0.ruleID == "intent_violated" }.map(\.message))")
        #expect(!edited.contains("github"))

        // The same intent from an intents file cannot be written back: closing the name alone does not make it hold.
        let external = planned.intents.map { intent -> IntentDeclaration in
            var moved = intent
            moved.source = SourceLocation(file: "intents.yaml", path: moved.source?.path)
            return moved
        }
        let fileReview = FixReview(graph: planned.graph, intents: external, declaredEgress: planned.declaredEgress,
                                   findings: Checker.run(planned.graph, intents: external, declaredEgress: planned.declaredEgress),
                                   spec: SpecSource(text: "firewall:\n  allowFqdns: [\"*.github.com\"]\n", file: "spec.yaml"))
        #expect(fileReview.fix(for: finding).status == .none)
        let templateReview = FixReview(graph: planned.graph, intents: planned.intents, declaredEgress: planned.declaredEgress, findings: all)
        let templateFix = templateReview.fix(for: finding)
        #expect(templateFix.status == .none)
        #expect(templateFix.reason?.contains("forbids what Azure Machine Learning requires") == true)
    }

    /// A bounding intent whose only counterexample is a name the spec allows: closing it suffices, in the model and as
    /// the spec edit that takes it out of `firewall.allowFqdns`.
    @Test func boundingIntentWhoseCounterexampleIsOnlyAnAllowedNameIsClosedInTheSpec() throws {
        let text = "firewall:\n  allowFqdns: [\"*.github.com\", example.org]\n"
        let planned = try #require(SpecLoader().design(yaml: text, file: "spec.yaml").design)
        // What compute may send without the spec's extra names: the built-in bound, derived without them.
        let required = try #require(BuiltInIntents.derive(planned.graph, declared: DeclaredEgress(packageHosts: planned.declaredEgress.packageHosts))
            .first { $0.form == .mayReachOnly && $0.name.hasPrefix("compute") }).destinations
        let intent = IntentDeclaration(form: .mayReachOnly, name: "compute stays off github", sources: ["all computes"],
                                       destinations: required + [.on("example.org", [443])],
                                       source: SourceLocation(file: "spec.yaml", path: "intents[0]"))
        let all = Checker.run(planned.graph, intents: [intent], declaredEgress: planned.declaredEgress)
        let finding = try #require(all.first { $0.ruleID == "intent_violated" && $0.message.contains("compute stays off github") })
        let review = FixReview(graph: planned.graph, intents: [intent], declaredEgress: planned.declaredEgress, findings: all)
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
        #expect(fix.summary?.contains("remove 'x.github.com' from firewall rule") == true)
        let proposal = try #require(IntentViolatedRule().proposeFix(for: finding, in: RuleContext(graph: planned.graph, intents: [intent],
                                                                                                    declaredEgress: planned.declaredEgress)))
        #expect(!proposal.specOnly)
        #expect(proposal.specPatches == [SpecPatch("firewall.allowFqdns", "[\"example.org\"]")])
    }
}
