import PalisadeModel
import PalisadeNetwork

/// Proof: every destination AML compute needs is actually allowed from the
/// compute subnets, or creation fails late ("encountered an unusable node", StorageMountError).
public struct RequiredDestinationBlockedRule: Rule {
    public static let description = RuleDescription(
        id: "required_destination_blocked",
        title: "Required Destination Blocked",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        Compute instances and clusters talk to Entra ID, the AML service, Batch, ARM, the Microsoft container \
        registry and the workspace's own storage. When NSGs, routes or the firewall block one of them, nodes \
        become unusable ("The specified Azure ML Compute Instance … encountered an unusable node") or storage \
        mounts fail ("StorageMountError … allow outbound connection to ports 443, 445 for storage service tag"). \
        The engine traces each required destination from each compute subnet.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall; https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet",
        fix: "allow the destination in the NSG and the firewall policy (network rule for service tags, application rule for FQDNs)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("""
            firewall:
              enabled: false
            """, flagging: ["snet-training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for subnet in context.computeSubnets {
            guard let region = Self.region(of: subnet, context) else { continue }
            let blocked = Self.blocked(subnet, context)
            guard !blocked.isEmpty else { continue }
            let list = blocked.map { "\($0.requirement.destinationText(in: region)) \($0.trace.protocol)/\($0.trace.port) (\($0.requirement.id))" }
            findings.append(context.finding(
                Self.self, subnet,
                "compute subnet '\(subnet.name)' cannot reach \(blocked.count) required destination(s): \(list.joined(separator: ", ")); nodes will fail with \"encountered an unusable node\" or StorageMountError",
                evidence: blocked.prefix(3).map { .trace($0.trace) }))
        }
        return findings
    }

    /// The region of the compute in `subnet` (or of its VNet).
    static func region(of subnet: Subnet, _ context: RuleContext) -> AzureRegion? {
        let computes = context.computes(in: subnet.id)
        return (computes.first?.location ?? context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location).flatMap(AzureRegion.named)
    }

    /// One required destination that `subnet` cannot reach: the requirement, the flow traced and its trace.
    struct Blocked {
        var requirement: AMLRequirement
        var flow: RequiredFlow
        var trace: Trace
    }

    /// The required destinations of the compute in `subnet`, each as the flow on its first port.
    static func requiredFlows(_ subnet: Subnet, _ context: RuleContext) -> [(requirement: AMLRequirement, flow: RequiredFlow)] {
        let computes = context.computes(in: subnet.id)
        guard let region = region(of: subnet, context) else { return [] }
        let workspace = computes.first.flatMap { context.graph.resource($0.workspace, as: MachineLearningWorkspace.self) }
        let privateMonitor = !context.graph.all(MonitorPrivateLinkScope.self).isEmpty
        var requirements = AMLRequirements.networkRequirements(
            highBusinessImpact: workspace?.highBusinessImpact ?? false, privateMonitor: privateMonitor)
            + AMLRequirements.applicationRequirements
        // The workspace's own storage: blob 443 and file 445.
        if let storage = workspace?.storageAccount.flatMap({ context.graph.resource($0, as: StorageAccount.self) }) {
            for (service, port) in [("blob", 443), ("file", 445)] {
                let name = "\(storage.name.lowercased()).\(service).core.windows.net"
                requirements.append(AMLRequirement("storage-mount", .tcp, [port], .fqdn(name), "workspace \(service) storage"))
            }
        }
        return requirements.compactMap { requirement in
            let destination: TraceDestination = switch requirement.destination {
            case .serviceTag: .serviceTag(requirement.destinationText(in: region))
            case .fqdn: .name(requirement.destinationText(in: region).replacingOccurrences(of: "*", with: "node0"))
            }
            let proto: IPProtocol = requirement.protocol == .udp ? .udp : .tcp
            guard let port = requirement.ports.first else { return nil }
            var flow = RequiredFlow(source: .subnet(subnet.id), subnet: subnet.id, destination: destination, port: port, proto: proto)
            if case .fqdn = requirement.destination { flow.grant = requirement.destinationText(in: region) }
            return (requirement, flow)
        }
    }

    /// The required destinations `subnet` cannot reach, each traced on its first port.
    static func blocked(_ subnet: Subnet, _ context: RuleContext) -> [Blocked] {
        requiredFlows(subnet, context).compactMap { requirement, flow in
            let trace = context.network.trace(from: flow.source, to: flow.destination, port: flow.port, protocol: flow.proto)
            return trace.verdict == .allowed ? nil : Blocked(requirement: requirement, flow: flow, trace: trace)
        }
    }
}

// MARK: - Fix

extension RequiredDestinationBlockedRule {
    /// Opens exactly the blocked required flows at the hop that drops each (an NSG allow rule ahead of the deny, a
    /// firewall network or application rule, or a way out for a subnet that has none), traced again after each
    /// change; the required destinations are the fix's purpose. A spec without a firewall gets it enabled instead:
    /// the planned firewall carries the AML allow-list
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        let flows = Self.blocked(subnet, context).map(\.flow)
        guard !flows.isEmpty else { return nil }
        let noFirewall = context.graph.all(AzureFirewall.self).isEmpty
        // Without a firewall, a subnet with no way out is given the firewall a spec plans: only its application rules
        // allow host names narrowly, and Internet routes with NSG rules would open whole service tags.
        guard let opening = FlowOpener.open(flows, in: context.graph), !(noFirewall && opening.createdEgress) else {
            return noFirewall ? context.enableSpecFirewall(for: flows) : nil
        }
        let spec = noFirewall ? [SpecPatch("firewall.enabled", "true")] : []
        return FixProposal(summary: opening.steps.joined(separator: "; "), graph: opening.graph, specPatches: spec,
                           opens: opening.opens, opensNames: opening.opensNames)
    }
}
