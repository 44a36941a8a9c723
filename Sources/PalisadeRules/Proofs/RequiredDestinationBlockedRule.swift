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
            let computes = context.computes(in: subnet.id)
            guard let location = computes.first?.location ?? context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location,
                  let region = AzureRegion.named(location)
            else { continue }
            let workspace = computes.first.flatMap { context.graph.resource($0.workspace, as: MachineLearningWorkspace.self) }
            let privateMonitor = !context.graph.all(MonitorPrivateLinkScope.self).isEmpty
            let requirements = AMLRequirements.networkRequirements(
                highBusinessImpact: workspace?.highBusinessImpact ?? false, privateMonitor: privateMonitor)
                + AMLRequirements.applicationRequirements
            var blocked: [(AMLRequirement, Trace)] = []
            for requirement in requirements {
                let destination: TraceDestination = switch requirement.destination {
                case .serviceTag: .serviceTag(requirement.destinationText(in: region))
                case .fqdn: .name(requirement.destinationText(in: region).replacingOccurrences(of: "*", with: "node0"))
                }
                let proto: IPProtocol = requirement.protocol == .udp ? .udp : .tcp
                guard let port = requirement.ports.first else { continue }
                let trace = context.network.trace(from: .subnet(subnet.id), to: destination, port: port, protocol: proto)
                if trace.verdict != .allowed { blocked.append((requirement, trace)) }
            }
            // The workspace's own storage: blob 443 and file 445.
            if let storage = workspace?.storageAccount.flatMap({ context.graph.resource($0, as: StorageAccount.self) }) {
                for (service, port) in [("blob", 443), ("file", 445)] {
                    let name = "\(storage.name.lowercased()).\(service).core.windows.net"
                    let trace = context.network.trace(from: .subnet(subnet.id), to: .name(name), port: port, protocol: .tcp)
                    if trace.verdict != .allowed {
                        blocked.append((AMLRequirement("storage-mount", .tcp, [port], .fqdn(name), "workspace \(service) storage"), trace))
                    }
                }
            }
            guard !blocked.isEmpty else { continue }
            let list = blocked.map { "\($0.0.destinationText(in: region)) \($0.1.protocol)/\($0.1.port) (\($0.0.id))" }
            findings.append(context.finding(
                Self.self, subnet,
                "compute subnet '\(subnet.name)' cannot reach \(blocked.count) required destination(s): \(list.joined(separator: ", ")); nodes will fail with \"encountered an unusable node\" or StorageMountError",
                evidence: blocked.prefix(3).map { .trace($0.1) }))
        }
        return findings
    }
}
