import PalisadeModel
import PalisadeNetwork

/// Proves the built-in intents of every Azure Machine Learning environment and the intents the input declares;
/// each violation names a counterexample packet or the hop that drops the required traffic.
public struct IntentViolatedRule: Rule {
    public static let description = RuleDescription(
        id: "intent_violated",
        title: "Intent Violated",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        An environment that is closed but cannot install a package, sign in or reach its own storage is broken. \
        Every compute must reach Microsoft Entra ID, the service tags and host names of its mode, the workspace and \
        its storage, key vault and registry through private DNS, and the declared package sources; every jumpbox \
        and VPN client must reach the studio and the workspace; compute may send nothing beyond what is required \
        or declared; and nothing enters from the internet except Bastion and the VPN gateway. Declared intents \
        (spec `intents:` or `--intents FILE`) are proved the same way.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet, https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall, https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
        fix: "open the dropping hop for the required traffic (NSG rule, route, firewall rule, private DNS zone), or narrow the rule that lets the counterexample packet through",
        passingExamples: [.spec("{}")],
        failingExamples: [
            // Without the firewall, compute and the jumpbox have no way out: sign-in, service tags, packages, studio.
            .spec("firewall: {enabled: false}", flagging: ["snet-training", "vm-test"]),
            .spec("""
            intents:
              - from: cpu-cluster
                mustReach: [example.org]
                ports: [443]
            """, flagging: ["snet-training"]),
            .spec("""
            firewall:
              allowFqdns: ["*.github.com"]
            intents:
              - from: all computes
                mayReachOnly: [VirtualNetwork]
            """, flagging: ["snet-training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let builtIn = BuiltInIntents.derive(context.graph, declared: context.declaredEgress)
        let results = BuiltInIntents.prove(builtIn, on: context.network) + context.network.prove(context.declaredIntents)
        let fallback = context.graph.all(MachineLearningWorkspace.self).first?.id
            ?? context.graph.all(VirtualNetwork.self).first?.id ?? ResourceID("/intents")
        return results.compactMap { result in
            guard result.status != .proven else { return nil }
            let intent = result.intent
            let subject = result.subject ?? fallback
            let type = context.graph[subject]?.type ?? subject.resourceType ?? ResourceType("Palisade/intent")
            let origin = intent.isBuiltIn ? "built-in intent" : "intent"
            let message: String
            var evidence: [Evidence] = []
            switch result.status {
            case .unresolved:
                message = "\(origin) '\(intent.text)' cannot be proved for '\(subject.name)': \(result.message)"
            default:
                message = "\(origin) '\(intent.name)' is violated at '\(subject.name)': \(result.message)"
                if let packet = result.counterexample {
                    evidence.append(Evidence(kind: .property, resource: subject, property: "counterexample packet", value: packet, hops: []))
                }
                evidence += result.traces.map { .trace($0) }
            }
            if let citation = intent.citation {
                evidence.append(.related(subject, "requirement documented at \(citation)"))
            }
            // A broken function (a must-reach that fails, an intent that names nothing) is an error, as is any
            // declared intent; a built-in egress or ingress bound that is exceeded is a warning: the environment
            // works, but sends or accepts more than Microsoft requires and the input declares.
            let severity: FindingSeverity = intent.isBuiltIn && intent.form != .mustReach && result.status == .violated ? .warning : .error
            return Finding(ruleID: Self.description.id, severity: severity, message: message, subject: subject, resourceType: type,
                           location: intent.source ?? context.graph[subject]?.source, evidence: evidence,
                           fix: Self.description.fix)
        }
    }
}

// MARK: - Fix

extension IntentViolatedRule {
    /// The intents that fail at `subject`, proved again on `context`.
    static func failing(at subject: ResourceID, _ context: RuleContext, only form: IntentDeclaration.Form? = nil) -> [IntentResult] {
        let builtIn = BuiltInIntents.derive(context.graph, declared: context.declaredEgress).filter { form == nil || $0.form == form }
        let declared = context.declaredIntents.filter { form == nil || $0.form == form }
        let results = BuiltInIntents.prove(builtIn, on: context.network) + context.network.prove(declared)
        let fallback = context.graph.all(MachineLearningWorkspace.self).first?.id
            ?? context.graph.all(VirtualNetwork.self).first?.id ?? ResourceID("/intents")
        return results.filter { $0.status != .proven && ($0.subject ?? fallback) == subject }
    }

    /// Where traffic of `subject` starts: the subnet itself, or the address of the VM's (or NIC's) interface.
    static func source(of subject: ResourceID, _ context: RuleContext) -> (TraceSource, ResourceID)? {
        if context.graph.resource(subject, as: Subnet.self) != nil { return (.subnet(subject), subject) }
        let endpoint = context.network.endpoints.values.sorted { $0.address < $1.address }
            .first { $0.virtualMachine == subject || $0.resource == subject }
        return endpoint.map { (.address($0.address), $0.subnet) }
    }

    /// Makes every must-reach intent that fails at the finding's subject hold: each failing destination is opened
    /// at the hop that drops it, exactly for the intent's source, destination, port and protocol (an NSG allow rule
    /// ahead of the deny, a firewall network or application rule, or a way out for a subnet without one), traced
    /// again after each change. The intent states what the designer wants, so the destinations it names are the
    /// fix's purpose. A spec without a firewall whose intents need host names gets the firewall enabled. An intent
    /// that bounds what the subject may reach is made to hold by closing each counterexample Azure Machine Learning
    /// does not require at the most specific hop, and by widening the intent with those it requires (see `close`).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let failing = Self.failing(at: finding.subject, context)
        if !failing.isEmpty, failing.allSatisfy({ $0.status == .violated && $0.intent.form == .mayReachOnly }) {
            return Self.close(finding.subject, context)
        }
        guard !failing.isEmpty, failing.allSatisfy({ $0.status == .violated && $0.intent.form == .mustReach }),
              let (source, subnet) = Self.source(of: finding.subject, context) else { return nil }
        var flows: [RequiredFlow] = []
        for result in failing {
            for target in result.intent.destinations {
                guard let destination = try? context.network.destination(named: target.endpoint, from: source) else { return nil }
                let lower = target.protocol.lowercased()
                let proto: IPProtocol = lower == "udp" ? .udp : lower == "icmp" ? .icmp : .tcp
                for port in target.ports.isEmpty ? [443] : target.ports.map(\.lower) {
                    let flow = RequiredFlow(source: source, subnet: subnet, destination: destination, port: port, proto: proto)
                    if !flows.contains(flow) { flows.append(flow) }
                }
            }
        }
        let noFirewall = context.graph.all(AzureFirewall.self).isEmpty
        // Without a firewall, a subnet with no way out is given the firewall a spec plans: only its application rules
        // allow host names narrowly, and Internet routes with NSG rules would open whole service tags.
        guard let opening = FlowOpener.open(flows, in: context.graph), !(noFirewall && opening.createdEgress) else {
            return noFirewall ? context.enableSpecFirewall(for: flows) : nil
        }
        // In a spec, host names compute may reach are declared as the firewall's allowed names.
        let hosts = flows.compactMap { flow -> String? in if case .name(let name) = flow.destination { name } else { nil } }
            .filter { name in FlowOpener.targets(of: RequiredFlow(source: source, subnet: subnet, destination: .name(name), port: 443, proto: .tcp),
                                                  network: context.network)?.contains(.host(name)) == true }
        let spec = noFirewall ? [SpecPatch("firewall.enabled", "true")]
            : hosts.isEmpty ? [] : [SpecPatch("firewall.allowFqdns", "[" + hosts.map { "\"\($0)\"" }.joined(separator: ", ") + "]")]
        return FixProposal(summary: opening.steps.joined(separator: "; "), graph: opening.graph, specPatches: spec,
                           opens: opening.opens, opensNames: opening.opensNames)
    }
}

extension IntentViolatedRule {
    /// Makes the "may reach only" intents failing at `subject` hold. Each counterexample that a built-in intent for the
    /// same source requires (Entra ID, the Azure Machine Learning service tags and host names, the package sources:
    /// see `required`) is not closed, since closing it breaks the environment; the declared intent is widened by that
    /// destination instead. Every other counterexample is closed, one at a time, at the most specific hop: a host name a
    /// firewall application rule grants is taken out of that rule
    /// (https://learn.microsoft.com/azure/firewall/rule-processing); a service tag or a private address gets an
    /// outbound Deny in the source subnet's NSG for the counterexample's protocol (a private address: the subnet it lies
    /// in), ahead of the rule that allowed it
    /// (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules). A public
    /// address outside every tag is not closed automatically (denying it alone would leave its neighbours open). The
    /// fix opens nothing. Closing alone is a model change (and, for a name the spec's `firewall.allowFqdns` allows,
    /// that spec edit); a widened intent exists only as a spec edit of the intent's list, so it is proposed as spec
    /// edits re-checked with the edited spec's intents, and other inputs get no fix (their intents are not written
    /// back).
    static func close(_ subject: ResourceID, _ context: RuleContext, rounds: Int = 24) -> FixProposal? {
        guard let (_, subnetID) = source(of: subject, context) else { return nil }
        let required = Self.required(for: subject, subnet: subnetID, context)
        var graph = context.graph
        var intents = context.declaredIntents
        var steps: [String] = []
        var revokedHosts: [String] = []
        // Declared intents (by position) and the required destinations added to each.
        var widened: [(index: Int, added: [IntentTarget])] = []
        for _ in 0..<rounds {
            let current = RuleContext(graph: graph, intents: intents, declaredEgress: context.declaredEgress)
            guard let result = failing(at: subject, current, only: .mayReachOnly).first else {
                return proposal(steps: steps, graph: graph, revokedHosts: revokedHosts, widened: widened, intents: intents, context)
            }
            guard let text = result.counterexample, let trace = result.traces.first,
                  let arrow = text.range(of: " → ") else { return nil }
            let proto = text.split(separator: " ").first.map { $0.lowercased() } ?? "tcp"
            let target = String(text[arrow.upperBound...])
            guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else { return nil }
            let destination = String(target[..<colon])
            // A destination Azure Machine Learning requires widens the declared intent instead of being closed.
            if !result.intent.isBuiltIn, let index = intents.firstIndex(of: result.intent),
               let need = required.first(where: { Self.covers($0, destination, port: port, proto: proto) }),
               !intents[index].destinations.contains(need) {
                intents[index].destinations.append(need)
                if let entry = widened.firstIndex(where: { $0.index == index }) { widened[entry].added.append(need) }
                else { widened.append((index, [need])) }
                continue
            }
            let before = graph
            // A name: the firewall rule that grants it, as the proof names it ("through firewall: group/collection/rule")
            // or as the trace passes it.
            var grant: (firewall: String, rule: String)?
            if let through = result.message.range(of: "(through "), let close = result.message[through.upperBound...].firstIndex(of: ")") {
                let parts = result.message[through.upperBound..<close].split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { grant = (parts[0], parts[1]) }
            }
            if grant == nil, let hop = trace.hops.last(where: { $0.kind == "AzureFirewall" && $0.result == "Allow" }), let rule = hop.rule {
                grant = (hop.resource, rule)
            }
            if IPv4Address(destination) == nil, let (firewall, rule) = grant, revoke(destination, grantedBy: rule, firewall: firewall, in: &graph) {
                let step = "remove '\(destination)' from firewall rule '\(rule)' for '\(subject.name)'"
                if !steps.contains(step) { steps.append(step) }
                if !revokedHosts.contains(destination) { revokedHosts.append(destination) }
            } else if let step = deny(destination, port: port, proto: proto, from: subnetID, trace: trace, context: current, in: &graph) {
                if !steps.contains(step) { steps.append(step) }
            } else {
                return nil
            }
            if graph == before { return nil }
        }
        return nil
    }

    /// The destinations the built-in intents require or permit for traffic of `subject` from `subnet` (compute in it,
    /// and a jumpbox), without what the input itself declares beyond its package sources: what Azure Machine Learning
    /// needs (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall).
    static func required(for subject: ResourceID, subnet: ResourceID, _ context: RuleContext) -> [IntentTarget] {
        let own = DeclaredEgress(packageHosts: context.declaredEgress.packageHosts, additional: [])
        let isJumpbox = context.graph.resource(subject, as: VirtualMachine.self) != nil
        var targets: [IntentTarget] = []
        for intent in BuiltInIntents.derive(context.graph, declared: own) where intent.form == .mustReach || intent.form == .mayReachOnly {
            guard intent.sources.contains(where: { $0.lowercased() == subnet.rawValue.lowercased() || (isJumpbox && $0 == "all jumpboxes") })
            else { continue }
            for target in intent.destinations where !targets.contains(target) { targets.append(target) }
        }
        return targets
    }

    /// Whether `target` names the counterexample's destination (the same service tag or address, or a host name its
    /// pattern matches) on its port and protocol.
    static func covers(_ target: IntentTarget, _ destination: String, port: Int, proto: String) -> Bool {
        let endpoint = target.endpoint.lowercased(), wanted = destination.lowercased()
        let named = endpoint == wanted || (IPv4Address(destination) == nil && endpoint.contains(".") && FQDNPattern(endpoint).matches(wanted))
        let onPort = target.ports.isEmpty || target.ports.contains { $0.contains(port) }
        let onProtocol = target.protocol == "any" || target.protocol.lowercased() == proto
        return named && onPort && onProtocol
    }

    /// The fix `close` found: the closing steps as a model change, and the intents it widened as spec edits.
    static func proposal(steps: [String], graph: ResourceGraph, revokedHosts: [String], widened: [(index: Int, added: [IntentTarget])],
                         intents: [IntentDeclaration], _ context: RuleContext) -> FixProposal? {
        guard !steps.isEmpty || !widened.isEmpty else { return nil }
        var spec: [SpecPatch] = []
        if !revokedHosts.isEmpty {
            // In a spec, the names compute may reach beyond the package repositories are `firewall.allowFqdns`
            // (planned into the firewall's package rule and declared egress); the closed ones leave that list.
            let repositories = Set(AMLRequirements.packageRepositoryFqdns.values.flatMap { $0 })
            let kept = context.declaredEgress.additional
                .filter { $0.ports == [PortRange(443, 443)] && $0.protocol == "tcp" && !repositories.contains($0.endpoint) }
                .map(\.endpoint)
                .filter { name in !revokedHosts.contains { FQDNPattern(name).matches($0) || name == $0 } }
            spec.append(SpecPatch("firewall.allowFqdns", "[" + kept.map { "\"\($0)\"" }.joined(separator: ", ") + "]"))
        }
        guard !widened.isEmpty else {
            return FixProposal(summary: steps.joined(separator: "; "), graph: graph, specPatches: spec)
        }
        var clauses: [String] = []
        for (index, added) in widened {
            let intent = intents[index]
            // Written intents carry their place in the list (`intents[2]`); one without it has no spec edit, and the
            // re-check then finds it still violated.
            if let path = intent.source?.path, path.hasPrefix("intents["), path.hasSuffix("]"),
               let position = Int(path.dropFirst("intents[".count).dropLast()) {
                spec.append(SpecPatch("intents.\(position).mayReachOnly", "[" + intent.destinations.map(yaml).joined(separator: ", ") + "]"))
            }
            let original = context.declaredIntents[index]
            clauses.append("the intent '\(original.name)' forbids what Azure Machine Learning requires ("
                           + added.map(\.text).joined(separator: ", ") + "), so the fix adds those to the intent")
        }
        let summary = (clauses + steps).joined(separator: "; ")
        return context.proposeSpecOnly(summary, spec: spec)
    }

    /// An intent destination as spec YAML: the plain name when it means every packet to it (how a plain name reads in
    /// an intent without `ports`), else `{to: X, ports: [...], protocol: P}`.
    static func yaml(_ target: IntentTarget) -> String {
        let name = target.endpoint.contains(where: { "*:{}[],#&!|>'\"%@`".contains($0) }) || target.endpoint.contains(" ")
            ? "\"\(target.endpoint)\"" : target.endpoint
        if target.ports.isEmpty && target.protocol == "any" { return name }
        let ports = target.ports.isEmpty ? "" : "ports: [" + target.ports.map(\.description).joined(separator: ", ") + "], "
        return "{to: \(name), \(ports)protocol: \(target.protocol)}"
    }

    /// Takes the names matching `host` out of the application rule at `path` (`group/collection/rule`) of the
    /// firewall named `firewallName` (its policy, or its classic collections); a rule left without targets goes.
    static func revoke(_ host: String, grantedBy path: String, firewall firewallName: String, in graph: inout ResourceGraph) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard let ruleName = parts.last,
              let firewall = graph.all(AzureFirewall.self).first(where: { $0.name.lowercased() == firewallName.lowercased() }) else { return false }
        var changed = false
        func prune(_ collections: inout [FirewallRuleCollection]) {
            for c in collections.indices where parts.count < 2 || collections[c].name == parts[parts.count - 2] {
                collections[c].rules = collections[c].rules.compactMap { rule in
                    guard case .application(var r) = rule, r.name == ruleName else { return rule }
                    let kept = r.targetFqdns.filter { !FQDNPattern($0).matches(host) }
                    guard kept.count != r.targetFqdns.count else { return rule }
                    changed = true
                    r.targetFqdns = kept
                    return kept.isEmpty && r.fqdnTags.isEmpty && r.webCategories.isEmpty ? nil : .application(r)
                }
            }
            collections.removeAll { $0.rules.isEmpty }
        }
        if let policyID = firewall.firewallPolicy, graph.resource(policyID, as: FirewallPolicy.self) != nil {
            graph.update(policyID, as: FirewallPolicy.self) { policy in
                for g in policy.ruleCollectionGroups.indices where parts.count < 3 || policy.ruleCollectionGroups[g].name == parts[0] {
                    prune(&policy.ruleCollectionGroups[g].ruleCollections)
                }
                policy.ruleCollectionGroups.removeAll { $0.ruleCollections.isEmpty }
            }
        } else {
            graph.update(firewall.id, as: AzureFirewall.self) { prune(&$0.applicationRuleCollections) }
        }
        return changed
    }

    /// An outbound Deny for `destination` (a service tag or a private address) and `proto` in the NSG of `subnetID`
    /// (created when it has none), ahead of the NSG rule that allowed the counterexample; its description, or nil.
    static func deny(_ destination: String, port: Int, proto: String, from subnetID: ResourceID, trace: Trace, context: RuleContext,
                     in graph: inout ResourceGraph) -> String? {
        guard let subnet = graph.resource(subnetID, as: Subnet.self) else { return nil }
        let match: AddressMatch
        if let ip = IPv4Address(destination) {
            guard WellKnownRanges.nonPublic.contains(where: { $0.contains(ip) }) else { return nil }
            // A private address is closed with the subnet it lies in (the counterexample stands for all of it).
            match = .prefixes(context.network.subnet(containing: ip)?.prefixes ?? [IPv4Prefix(ip, length: 32)])
        } else if !destination.contains(" "), context.network.graph.all(Subnet.self).allSatisfy({ $0.name != destination }),
                  (try? context.network.destination(named: destination)).map({ if case .serviceTag = $0 { true } else { false } }) == true {
            match = .serviceTag(destination)
        } else {
            return nil
        }
        let location = graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location
        var nsg = graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self)
            ?? NetworkSecurityGroup(id: subnet.id.sibling(namespace: "Microsoft.Network", type: "networkSecurityGroups",
                                                          name: "nsg-\(subnet.virtualNetwork.name)-\(subnet.name)".lowercased()), location: location)
        let allowing = trace.hops.first { $0.kind == "NSG" && $0.result == "Allow" && $0.resource.lowercased() == nsg.name.lowercased() }?.rule
        let limit = nsg.securityRules.first { $0.name == allowing && $0.direction == .outbound }?.priority ?? 4097
        // A private range is closed for every protocol (the intent permits none of it, or the re-check says so); a
        // service tag for the counterexample's protocol, as intents often permit a tag on some ports only.
        let protocols: NetworkProtocol = IPv4Address(destination) != nil ? .any : NetworkProtocol.allCases.first { $0.rawValue.lowercased() == proto } ?? .tcp
        let label = destination.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let rule = SecurityRule(name: "Deny\(String(label))\(protocols == .any ? "" : protocols.rawValue)Outbound", priority: 100, direction: .outbound, access: .deny,
                                protocol: protocols, source: .prefixes(subnet.addressPrefixes), destination: match, destinationPorts: .any)
        guard nsg.insert(rule, before: limit) else { return nil }
        let fixed = nsg
        graph.insert(fixed)
        if subnet.networkSecurityGroup != fixed.id { graph.update(subnet.id, as: Subnet.self) { $0.networkSecurityGroup = fixed.id } }
        return "deny \(protocols == .any ? "all traffic" : protocols.rawValue) from '\(subnet.name)' to \(match.displayText) in '\(fixed.name)' ahead of '\(allowing ?? "the default rules")'"
    }
}
