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
    static func failing(at subject: ResourceID, _ context: RuleContext) -> [IntentResult] {
        let builtIn = BuiltInIntents.derive(context.graph, declared: context.declaredEgress)
        let results = BuiltInIntents.prove(builtIn, on: context.network) + context.network.prove(context.declaredIntents)
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
    /// fix's purpose. A spec without a firewall whose intents need host names gets the firewall enabled. Intents
    /// that bound what may be reached are not loosened or tightened automatically: a counterexample that a built-in
    /// intent requires cannot be closed without breaking the environment.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let failing = Self.failing(at: finding.subject, context)
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
            return noFirewall ? context.enableSpecFirewall() : nil
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
