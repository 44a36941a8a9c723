import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PalisadeHTML
import PalisadeModel
import PalisadeNetwork
import PalisadeReport
import PalisadeRules
import PalisadeSpec
import Testing

/// The built-in default environment, planned.
func defaultGraph() throws -> ResourceGraph {
    let (design, diagnostics) = EnvironmentDesigner.design(Spec())
    return try #require(design, "the built-in default does not plan: \(diagnostics.errors)").graph
}

/// The SVG element of a page.
func svg(in page: String) throws -> String {
    let start = try #require(page.range(of: "<svg "))
    let end = try #require(page.range(of: "</svg>", range: start.upperBound..<page.endIndex))
    return String(page[start.lowerBound..<end.upperBound])
}

/// Parses XML, failing the test with the parser's message when it is not well formed.
func parseXML(_ text: String) throws -> XMLDocument {
    try XMLDocument(xmlString: text, options: [])
}

/// Every `id` attribute in the document, in document order.
func ids(_ document: XMLDocument) throws -> [String] {
    try document.nodes(forXPath: "//@id").compactMap(\.stringValue)
}

/// Resources a reader expects to see on the diagram.
func drawable(_ graph: ResourceGraph) -> [ResourceID] {
    let attachedTables = Set(graph.all(Subnet.self).compactMap(\.routeTable))
    return graph.resources.compactMap { resource -> ResourceID? in
        switch resource {
        case .virtualNetwork, .subnet, .privateEndpoint, .azureFirewall, .bastionHost, .virtualNetworkGateway,
             .virtualMachine, .machineLearningCompute, .machineLearningWorkspace, .storageAccount, .keyVault,
             .containerRegistry, .applicationInsights, .logAnalyticsWorkspace, .monitorPrivateLinkScope,
             .cognitiveServicesAccount:
            return resource.id
        case .routeTable(let table):
            return attachedTables.contains(table.id) ? table.id : nil
        default:
            return nil
        }
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    @Test("egress and ingress tables are folded into names, long lists collapse, words are not broken mid-way")
    func tablesAreFoldedForReaders() throws {
        let graph = try defaultGraph()
        let page = HTMLReport(analyzing: graph, input: "built-in default").render()
        let egress = try #require(page.range(of: "<section id=\"egress\">")).upperBound
        let section = String(page[egress...].prefix(while: { _ in true }).split(separator: "</section>", maxSplits: 1)[0])
        #expect(section.contains("Outside the virtual networks"))
        // Tags and host names by name, not as raw prefix lists.
        #expect(section.contains("AzureActiveDirectory"))
        #expect(section.contains("login.microsoftonline.com"))
        // Each source's full list is a collapsible element (no scripts: the page's policy forbids them).
        #expect(section.contains("<details class=\"source\">"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("overflow-wrap:anywhere") && !page.contains("word-break:break-all"))
        let ingress = try #require(page.range(of: "<section id=\"ingress\">")).upperBound
        #expect(page[ingress...].contains("From (services)"))
    }

    @Test("the diagram of the built-in default is well-formed XML with unique ids")
    func diagramParses() throws {
        let graph = try defaultGraph()
        let page = HTMLReport(analyzing: graph, input: "built-in default").render()
        let document = try parseXML(try svg(in: page))
        #expect(document.rootElement()?.name == "svg")
        let all = try ids(document)
        #expect(Set(all).count == all.count, "duplicate ids: \(Dictionary(grouping: all, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
    }

    @Test("every drawable resource of the built-in default has an element with its id")
    func everyResourceDrawn() throws {
        let graph = try defaultGraph()
        let document = try parseXML(HTMLReport(analyzing: graph, input: "built-in default").diagramSVG())
        let present = Set(try ids(document))
        let expected = drawable(graph)
        #expect(expected.count > 10)
        for resource in expected {
            #expect(present.contains(HTMLReport.elementID(for: resource)), "no element for \(resource)")
        }
        // The private endpoint arrows point at their targets.
        for endpoint in graph.all(PrivateEndpoint.self) {
            guard let target = endpoint.target else { continue }
            let from = HTMLReport.elementID(for: endpoint.id), to = HTMLReport.elementID(for: target)
            let arrows = try document.nodes(forXPath: "//*[@data-from='\(from)' and @data-to='\(to)']")
            #expect(arrows.count == 1, "no arrow from \(endpoint.name) to \(target.name)")
        }
        // Subnets with a route table have an arrow inside the route table's group.
        for subnet in graph.all(Subnet.self) {
            guard let table = subnet.routeTable else { continue }
            let arrows = try document.nodes(forXPath: "//*[@id='\(HTMLReport.elementID(for: table))']/*[@data-from='\(HTMLReport.elementID(for: subnet.id))']")
            #expect(!arrows.isEmpty, "no route arrow from \(subnet.name)")
        }
    }

    @Test("element ids are case-insensitive and injective")
    func elementIDs() {
        let a = ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a.b")
        let b = ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a-b")
        let c = ResourceID("/SUBSCRIPTIONS/s/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/A.B")
        #expect(HTMLReport.elementID(for: a) != HTMLReport.elementID(for: b))
        #expect(HTMLReport.elementID(for: a) == HTMLReport.elementID(for: c))
        #expect(HTMLReport.elementID(for: a).allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) })
    }

    @Test("findings are marked on the element they concern")
    func findingsMarked() throws {
        var graph = try defaultGraph()
        let registry = try #require(graph.all(ContainerRegistry.self).first)
        graph.update(registry.id, as: ContainerRegistry.self) { $0.adminUserEnabled = true }
        let report = HTMLReport(analyzing: graph, input: "test")
        let open = report.findings.filter { $0.suppression == nil }
        #expect(open.contains { $0.subject == registry.id })
        let page = report.render()
        let document = try parseXML(try svg(in: page))
        let badge = "//*[@id='badge-\(HTMLReport.elementID(for: registry.id))']"
        let count = try document.nodes(forXPath: badge + "/@data-count").first?.stringValue
        #expect(count == String(open.filter { $0.subject == registry.id }.count))
        let severity = try document.nodes(forXPath: badge + "/@data-severity").first?.stringValue
        #expect(severity == open.filter { $0.subject == registry.id }.map(\.severity).max()?.rawValue)
        // Every open finding shows on some element, and is listed with its evidence.
        let badges = Set(try ids(document).filter { $0.hasPrefix("badge-") })
        for finding in open {
            #expect(page.contains("id=\"findings-\(HTMLReport.elementID(for: finding.subject))\""))
        }
        #expect(!badges.isEmpty)
    }

    @Test("findings of several rules each get a badge, with their evidence listed")
    func severalFindings() throws {
        var graph = try defaultGraph()
        let registry = try #require(graph.all(ContainerRegistry.self).first)
        graph.update(registry.id, as: ContainerRegistry.self) { $0.adminUserEnabled = true }
        let compute = try #require(graph.all(MachineLearningCompute.self).first { $0.subnet != nil })
        graph.update(compute.id, as: MachineLearningCompute.self) { $0.enableNodePublicIP = false }
        graph.update(try #require(compute.subnet), as: Subnet.self) { $0.privateEndpointNetworkPolicies = .enabled }
        let report = HTMLReport(analyzing: graph, input: "test")
        let open = report.findings.filter { $0.suppression == nil }
        #expect(Set(open.map(\.ruleID)).count >= 2)
        let page = report.render()
        let badges = Set(try ids(try parseXML(try svg(in: page))).filter { $0.hasPrefix("badge-") })
        for finding in open {
            #expect(badges.contains("badge-" + HTMLReport.elementID(for: finding.subject)), "no badge for \(finding.ruleID)")
            for evidence in finding.evidence where evidence.kind == .property {
                #expect(page.contains(evidence.property ?? "-"))
            }
        }
    }

    @Test("resources whose VNet is missing from the input are still drawn")
    func orphans() throws {
        var graph = try defaultGraph()
        let vnet = try #require(graph.all(VirtualNetwork.self).first)
        graph.remove(vnet.id)
        let present = Set(try ids(try parseXML(HTMLReport(analyzing: graph, input: "test", includeReach: false).diagramSVG())))
        #expect(present.contains(HTMLReport.elementID(for: vnet.id)))
        for endpoint in graph.all(PrivateEndpoint.self) { #expect(present.contains(HTMLReport.elementID(for: endpoint.id))) }
    }

    @Test("per-subnet detail is capped and the rest is still accounted for")
    func capped() throws {
        var graph = SyntheticEstate.graph(spokes: 1)
        let subnet = try #require(graph.all(Subnet.self).first { $0.name == "endpoints" })
        let storage = try #require(graph.all(StorageAccount.self).first)
        for n in 0..<30 {
            graph.insert(PrivateEndpoint(id: SyntheticEstate.id("privateEndpoints", "pe-extra-\(n)")).with {
                $0.subnet = subnet.id
                $0.target = storage.id
                $0.groupIDs = ["blob"]
            })
        }
        var report = HTMLReport(analyzing: ResourceGraph(), input: "x", includeReach: false)
        report.graph = graph
        let hidden = SyntheticEstate.id("privateEndpoints", "pe-extra-9")
        report.findings = [Finding(ruleID: "demo", severity: .warning, message: "m", subject: hidden, resourceType: .privateEndpoint,
                                   location: nil, evidence: [], fix: "")]
        let page = report.render()
        let present = Set(try ids(try parseXML(try svg(in: page))))
        #expect(!present.contains(HTMLReport.elementID(for: hidden)))
        #expect(page.contains("+22 more"))
        #expect(present.contains("badge-" + HTMLReport.elementID(for: subnet.id)))
    }

    @Test("spokes are laid out in natural order")
    func naturalOrder() throws {
        let svgText = HTMLReport(graph: SyntheticEstate.graph(spokes: 12), findings: [], reach: nil,
                                 plan: HTMLReport(analyzing: ResourceGraph(), input: "x", includeReach: false).plan).diagramSVG()
        let two = try #require(svgText.range(of: ">vnet-spoke-2<"))
        let ten = try #require(svgText.range(of: ">vnet-spoke-10<"))
        #expect(two.lowerBound < ten.lowerBound)
    }

    @Test("the same input gives the same bytes")
    func deterministic() throws {
        let graph = try defaultGraph()
        let first = HTMLReport(analyzing: graph, input: "built-in default").render()
        let second = HTMLReport(analyzing: ResourceGraph(Array(graph.resources.reversed())), input: "built-in default").render()
        #expect(first == second)
    }

    @Test("strings from the input are escaped and the page loads nothing")
    func escaping() throws {
        var graph = try defaultGraph()
        let hostile = "<script>alert(1)</script>"
        let vnet = try #require(graph.all(VirtualNetwork.self).first)
        let subnet = try #require(graph.subnets(of: vnet.id).first)
        let storage = ResourceID(subscription: "s", resourceGroup: "rg\"'&", namespace: "Microsoft.Storage", [("storageAccounts", hostile)])
        graph.insert(StorageAccount(id: storage, location: "westeurope"))
        graph.insert(PrivateEndpoint(id: vnet.id.child("x", hostile)).with {
            $0.subnet = subnet.id
            $0.target = storage
            $0.groupIDs = [hostile]
        })
        let page = HTMLReport(analyzing: graph, input: hostile).render()
        #expect(!page.contains(hostile))
        #expect(!page.lowercased().contains("<script"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let document = try parseXML(try svg(in: page))
        #expect(try ids(document).contains(HTMLReport.elementID(for: storage)))
        // Self-contained: the only URL is the SVG namespace.
        let withoutNamespace = page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"))
        #expect(!page.contains("<link") && !page.contains(" src="))
    }

    @Test("light, dark and print styles are inline")
    func styles() throws {
        let page = HTMLReport(analyzing: try defaultGraph(), input: "built-in default").render()
        #expect(page.contains("@media (prefers-color-scheme:dark)"))
        #expect(page.contains("@media print"))
        #expect(page.contains("Content-Security-Policy"))
        for section in ["diagram", "findings", "egress", "ingress", "address-plan", "inventory"] {
            #expect(page.contains("<section id=\"\(section)\">"), "missing section \(section)")
        }
    }

    @Test("the examples render")
    func examples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["hub.yaml", "landing-zone-existing-spoke.yaml", "landing-zone-hub.yaml", "managed-vnet.yaml", "privateaml.yaml"] {
            let (design, diagnostics) = SpecLoader().design(file: root.appendingPathComponent("examples/\(name)").path)
            let graph = try #require(design, "\(name): \(diagnostics.errors)").graph
            let svgText = HTMLReport(analyzing: graph, input: name).diagramSVG()
            let present = Set(try ids(try parseXML(svgText)))
            for resource in drawable(graph) { #expect(present.contains(HTMLReport.elementID(for: resource)), "\(name): no element for \(resource)") }
        }
    }

    @Test("a 200-spoke estate renders with every VNet drawn")
    func largeEstate() throws {
        let graph = SyntheticEstate.graph(spokes: 200)
        let clock = ContinuousClock()
        // The plan of an empty graph keeps this test about the renderer (planning 200 spokes is measured elsewhere).
        var report = HTMLReport(analyzing: ResourceGraph(), input: "synthetic", includeReach: false)
        report.graph = graph
        // Model-level rules only: the engine-backed proofs trace every subnet, which a debug build makes slow
        // at this scale; `palisade-bench` measures the engine.
        let proofs: Set<String> = ["egress_bypasses_firewall", "internet_exposure", "private_name_resolution", "required_destination_blocked"]
        let rules = RuleCatalog.all.filter { !proofs.contains($0.description.id) }
        let checking = clock.measure { report.findings = Checker.run(graph, rules: rules) }
        var page = ""
        let rendering = clock.measure { page = report.render() }
        // Measured, not asserted: timings depend on the machine.
        print("200-spoke estate: \(graph.count) resources; check \(checking), render \(rendering), \(page.utf8.count) bytes")
        let document = try parseXML(try svg(in: page))
        let present = Set(try ids(document))
        for vnet in graph.all(VirtualNetwork.self) { #expect(present.contains(HTMLReport.elementID(for: vnet.id))) }
        let peerings = try document.nodes(forXPath: "//*[local-name()='path' and contains(@class,'peering')]")
        #expect(peerings.count == 200)
    }
}

/// Large estates: equal answers share a row, long tables say where the rest is, and `.full` keeps everything.
struct LargeReportTests {
    private func report(spokes: Int) -> HTMLReport {
        HTMLReport(analyzing: SyntheticEstate.graph(spokes: spokes), input: "estate.json", name: "estate")
    }

    @Test("a small estate is spelled out in full")
    func smallIsFull() {
        let page = report(spokes: 3).render()
        #expect(!page.contains("more sources in"))
        #expect(!page.contains("vnet compact"))
        #expect(!page.contains(" sources</b>"))
    }

    @Test("past the limits, sources with equal answers share a row and every source is still named")
    func largeIsGrouped() throws {
        var large = report(spokes: 40)
        let summary = try #require(large.summary)
        #expect(summary.sources.count > HTMLReport.groupLimit)
        let page = large.render()
        // Every spoke's workload subnet reaches the same places: one row names all of them.
        #expect(page.contains(" sources</b>"))
        for source in summary.sources.map(\.source) { #expect(page.contains(source), "source \(source) is not named") }
        // Spokes are tiles; the hub keeps its subnets.
        #expect(page.contains("vnet compact"))
        #expect(page.contains(HTMLReport.elementID(for: SyntheticEstate.id("virtualNetworks", "vnet-spoke-39"))))
        #expect(page.contains("drawn as tiles"))
        large.detail = .full
        let full = large.render()
        #expect(!full.contains("vnet compact"))
        #expect(!full.contains(" sources</b>"))
        #expect(full.utf8.count > page.utf8.count)
    }

    @Test("a finding inside a VNet drawn as a tile is marked on the tile")
    func findingOnTile() throws {
        var large = report(spokes: 20)
        let subnet = try #require(large.graph.all(Subnet.self).first { $0.id.rawValue.contains("vnet-spoke-7/") })
        large.findings = [Finding(ruleID: "demo", severity: .error, message: "m", subject: subnet.id, resourceType: .subnet,
                                  location: nil, evidence: [], fix: "")]
        let page = large.render()
        let tile = HTMLReport.elementID(for: SyntheticEstate.id("virtualNetworks", "vnet-spoke-7"))
        #expect(page.contains("id=\"badge-\(tile)\""))
    }
}

/// Findings show their verified fix, or why there is none.
@Suite struct HTMLReportFixTests {
    @Test func findingsShowTheirVerifiedFix() throws {
        let graph = try defaultGraph()
        let subject = try #require(graph.all(KeyVault.self).first)
        var finding = Finding(ruleID: "key_vault_purge_protection", severity: .warning, message: "key vault has no purge protection",
                              subject: subject.id, resourceType: KeyVault.resourceType, location: nil, evidence: [], fix: "turn it on")
        finding.verifiedFix = .verified(summary: "set enablePurgeProtection to true", edits: [], specPatches: [SpecPatch("keyVault.purgeProtection", "true")],
                                        arm: nil, terraform: nil, bicep: nil)
        var other = finding
        other.ruleID = "storage_replication"
        other.verifiedFix = .none("the rule proposes no automatic change <here>")
        let plan = PlanReport(graph: graph, input: "test", name: nil, location: nil, diagnostics: [])
        let page = HTMLReport(graph: graph, findings: [finding, other], reach: nil, plan: plan).render()
        #expect(page.contains("<strong>Verified fix:</strong> set enablePurgeProtection to true"))
        #expect(page.contains("keyVault:\n  purgeProtection: true"))
        #expect(page.contains("<strong>No verified fix:</strong> the rule proposes no automatic change &lt;here&gt;"))
    }
}
