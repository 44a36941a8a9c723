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
