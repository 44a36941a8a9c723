import PalisadeModel
import PalisadeNetwork
import PalisadeReport
import PalisadeRules

/// One self-contained HTML page about an environment: a network diagram with findings marked on it, the
/// findings with their evidence, the egress and ingress tables, the address plan and the inventory.
///
/// The page has no scripts and no external assets (a Content-Security-Policy forbids both), every string from
/// the input is escaped, and rendering is pure: the same inputs give the same bytes.
public struct HTMLReport: Sendable {
    /// The environment.
    public var graph: ResourceGraph
    /// Findings from the rule catalog, in `Checker` order.
    public var findings: [Finding]
    /// Egress and ingress from the engine, or nil to leave those sections out.
    public var reach: ReachReport?
    /// Address plan and inventory.
    public var plan: PlanReport
    /// `reach` folded into names (resources, tags, host names), when the model that produced it was at hand.
    public var summary: ReachSummary?
    /// How much of a large estate the page spells out.
    public var detail: Detail = .automatic

    /// How much of a large estate the page spells out.
    public enum Detail: Sendable {
        /// Past the limits below, sources and resources with the same answer share a row, long tables keep their
        /// first rows and say how many more there are and where to find them, and VNets are drawn as tiles: a
        /// page a browser opens in a moment even for thousands of subnets.
        case automatic
        /// Everything on the page, however large.
        case full
    }

    /// Above this many sources (or private resources), `automatic` groups equal answers and keeps this many groups.
    public static let groupLimit = 60
    /// Above this many resources, `automatic` folds each inventory group and keeps its first `inventoryRowLimit` rows.
    public static let inventoryLimit = 1_000
    /// Rows kept per inventory group in a folded inventory.
    public static let inventoryRowLimit = 50

    /// Creates a report from results already computed.
    public init(graph: ResourceGraph, findings: [Finding], reach: ReachReport?, plan: PlanReport, summary: ReachSummary? = nil) {
        self.graph = graph
        self.findings = findings
        self.reach = reach
        self.plan = plan
        self.summary = summary
    }

    /// Runs the rule catalog, plans, and (unless `includeReach` is false) compiles the graph and runs reach.
    public init(analyzing graph: ResourceGraph, input: String, name: String? = nil, location: String? = nil,
                diagnostics: [Diagnostic] = [], options: NetworkOptions = NetworkOptions(), includeReach: Bool = true) {
        let model = includeReach ? NetworkModel.compile(graph, options: options) : nil
        let reach = model?.reach()
        self.init(graph: graph, findings: Checker.run(graph), reach: reach,
                  plan: PlanReport(graph: graph, input: input, name: name, location: location, diagnostics: diagnostics),
                  summary: model.flatMap { model in reach.map { $0.summary(FlowFolder(model: model)) } })
    }

    /// The `id` of the diagram element that draws a resource (case-insensitive, like resource IDs).
    public static func elementID(for resource: ResourceID) -> String { Markup.elementID(resource) }

    /// The page title.
    public var title: String { "Palisade report: \(plan.name ?? plan.input)" }

    /// The diagram alone, as an SVG document fragment styled by the page's classes.
    public func diagramSVG() -> String {
        Diagram(graph: graph, findings: findings, title: "Network diagram of \(plan.name ?? plan.input)", everyNetworkInFull: detail == .full).render()
    }

    /// The whole page.
    public func render() -> String {
        let diagram = Diagram(graph: graph, findings: findings, title: "Network diagram of \(plan.name ?? plan.input)", everyNetworkInFull: detail == .full)
        var page = HTMLWriter()
        page.add("<!DOCTYPE html>")
        page.add("<html lang=\"en\">")
        page.add("<head>")
        page.add("<meta charset=\"utf-8\">")
        page.add("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        page.add("<meta name=\"color-scheme\" content=\"light dark\">")
        page.add("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
        page.add("<meta name=\"generator\" content=\"palisade report\">")
        page.add("<title>\(e(title))</title>")
        page.add("<style>\n\(HTMLStyle.css)\n</style>")
        page.add("</head>")
        page.add("<body>")
        header(&page, diagram: diagram)
        page.add("<main>")
        page.add("<section id=\"diagram\">")
        page.add("<h2>Network</h2>")
        page.add("<div class=\"scroll\">")
        page.add(diagram.render())
        page.add("</div>")
        legend(&page, diagram: diagram)
        page.add("</section>")
        findingsSection(&page, diagram: diagram)
        if let summary {
            foldedEgress(&page, summary)
            foldedIngress(&page, summary)
        } else if let reach {
            egress(&page, reach)
            ingress(&page, reach)
        }
        addressPlan(&page)
        inventory(&page)
        notes(&page)
        page.add("</main>")
        page.add("<footer class=\"muted\" style=\"padding:0 24px 20px\">Generated by <code>palisade report</code> from \(e(plan.input)). Self-contained: no scripts, no external assets.</footer>")
        page.add("</body>")
        page.add("</html>")
        return page.text
    }

    // MARK: - Sections

    private func e(_ text: String) -> String { Markup.escape(text) }

    /// Whether `count` items are too many to spell out one by one.
    private func condensed(_ count: Int, limit: Int = HTMLReport.groupLimit) -> Bool { detail == .automatic && count > limit }

    /// Where the whole of a condensed table is.
    private var fullTableHint: String {
        "<code>palisade reach \(e(plan.input)) --format json</code> lists every row; <code>palisade report --full</code> puts them all on this page"
    }

    /// Groups keys with equal values, keeping the order in which each value first appears.
    private func grouped<Key, Value: Hashable>(_ keys: [Key], _ value: (Key) -> Value) -> [(keys: [Key], value: Value)] {
        var order: [Value] = []
        var members: [Value: [Key]] = [:]
        for key in keys {
            let v = value(key)
            if members[v] == nil { order.append(v) }
            members[v, default: []].append(key)
        }
        return order.map { (members[$0]!, $0) }
    }

    /// A cell naming one source with its addresses, or several sources folded.
    private func sourcesCell(_ names: [String], addresses: (String) -> String) -> String {
        if names.count == 1 { return "\(e(names[0]))<br><span class=\"muted mono\">\(e(addresses(names[0])))</span>" }
        return "<b>\(names.count) sources</b><br>" + list(names.map(e), noun: "sources")
    }

    private func header(_ page: inout HTMLWriter, diagram: Diagram) {
        page.add("<header>")
        page.add("<h1>\(e(title))</h1>")
        var facts = ["input \(plan.input)"]
        if let location = plan.location { facts.append("region \(location)") }
        facts.append("\(plan.resourceCount) resources")
        facts.append("\(plan.virtualNetworks.count) virtual network\(plan.virtualNetworks.count == 1 ? "" : "s")")
        page.add("<p class=\"meta\">\(facts.map(e).joined(separator: " · "))</p>")
        page.add("<div class=\"summary\">")
        let open = findings.filter { $0.suppression == nil }
        for severity in FindingSeverity.allCases.reversed() {
            let count = open.filter { $0.severity == severity }.count
            page.add("<span class=\"pill\(count > 0 ? " sev-\(severity.rawValue)" : "")\">\(count) \(severity.rawValue)\(count == 1 ? "" : "s")</span>")
        }
        let waived = findings.count - open.count
        if waived > 0 { page.add("<span class=\"pill\">\(waived) waived</span>") }
        if open.isEmpty { page.add("<span class=\"muted\">No open findings.</span>") }
        page.add("</div>")
        page.add("<nav><a href=\"#diagram\">Network</a><a href=\"#findings\">Findings</a>" + (reach == nil ? "" : "<a href=\"#egress\">Egress</a><a href=\"#ingress\">Ingress</a>") + "<a href=\"#address-plan\">Address plan</a><a href=\"#inventory\">Inventory</a></nav>")
        page.add("</header>")
    }

    private func legend(_ page: inout HTMLWriter, diagram: Diagram) {
        let items = [("--vnet-line", "virtual network"), ("--subnet-line", "subnet"), ("--pe", "private endpoint → target"),
                     ("--firewall", "firewall"), ("--bastion", "Bastion"), ("--gateway", "gateway"), ("--vm", "VM / compute"),
                     ("--route", "route → next hop"), ("--peer", "peering"), ("--error", "finding (count, worst severity)")]
        page.add("<div class=\"legend\">" + items.map { "<span style=\"--c:var(\($0.0))\">\(e($0.1))</span>" }.joined() + "</div>")
        let hidden = diagram.layout.networks.flatMap(\.subnets).map(\.hidden).reduce(0, +)
        let tiles = diagram.layout.compactCount
        if tiles > 0 {
            page.add("<p class=\"muted\">\(tiles) virtual networks without a firewall or gateway are drawn as tiles with their contents counted (hover for their subnets); the address plan lists their subnets and the inventory everything.</p>")
        }
        if hidden > 0 {
            page.add("<p class=\"muted\">\(hidden) resource\(hidden == 1 ? " is" : "s are") not drawn (at most \(Metrics.chipsPerSubnet - 1) per subnet); the inventory lists everything.</p>")
        }
    }

    private func findingsSection(_ page: inout HTMLWriter, diagram: Diagram) {
        page.add("<section id=\"findings\">")
        page.add("<h2>Findings (\(findings.count))</h2>")
        if findings.isEmpty { page.add("<p class=\"muted\">The rule catalog found nothing.</p>") }
        var index = 0
        while index < findings.count {
            let subject = findings[index].subject
            var end = index
            while end < findings.count && findings[end].subject == subject { end += 1 }
            let anchors = diagram.anchors(for: subject)
            page.add("<article id=\"findings-\(Markup.elementID(subject))\">")
            let links = anchors.map { "<a href=\"#\(Markup.elementID($0))\">\(e($0.name))</a>" }.joined(separator: ", ")
            page.add("<h3>\(e(subject.name)) <span class=\"muted\">\(e(findings[index].resourceType.rawValue))</span>\(anchors.isEmpty ? "" : " <span class=\"muted\">· on the diagram: \(links)</span>")</h3>")
            for finding in findings[index..<end] { self.finding(&page, finding) }
            page.add("</article>")
            index = end
        }
        page.add("</section>")
    }

    private func finding(_ page: inout HTMLWriter, _ finding: Finding) {
        page.add("<div class=\"finding sev-\(finding.severity.rawValue)\(finding.suppression == nil ? "" : " waived")\">")
        page.add("<p><span class=\"pill sev-\(finding.severity.rawValue)\">\(finding.severity.rawValue)</span> <code>\(e(finding.ruleID))</code> \(e(finding.message))</p>")
        if let location = finding.location { page.add("<p class=\"muted\">declared at <code>\(e(location.description))</code></p>") }
        if let waiver = finding.suppression { page.add("<p class=\"muted\">waived: \(e(waiver.reason))</p>") }
        if !finding.evidence.isEmpty {
            page.add("<ul>")
            for evidence in finding.evidence {
                switch evidence.kind {
                case .property:
                    page.add("<li><code>\(e(evidence.resource?.name ?? "?"))</code> <code>\(e(evidence.property ?? ""))</code> = <code>\(e(evidence.value ?? ""))</code></li>")
                case .related:
                    page.add("<li>related <code>\(e(evidence.resource?.name ?? "?"))</code>: \(e(evidence.value ?? ""))</li>")
                case .trace:
                    page.add("<li>trace: \(e(evidence.value ?? ""))<ol class=\"hops\">" + evidence.hops.map { "<li>\(e($0))</li>" }.joined() + "</ol></li>")
                }
            }
            page.add("</ul>")
        }
        if !finding.fix.isEmpty { page.add("<p><strong>Fix:</strong> \(e(finding.fix))</p>") }
        if let verified = finding.verifiedFix {
            if verified.status == .verified {
                page.add("<p><strong>Verified fix:</strong> \(e(verified.summary ?? ""))</p>")
                if let code = verified.specYAML ?? verified.arm { page.add("<pre>\(e(code))</pre>") }
            } else {
                page.add("<p><strong>No verified fix:</strong> \(e(verified.reason ?? ""))</p>")
            }
        }
        page.add("<p class=\"id\">\(e(finding.subject.rawValue))</p>")
        page.add("</div>")
    }

    private func egress(_ page: inout HTMLWriter, _ reach: ReachReport) {
        page.add("<section id=\"egress\">")
        page.add("<h2>Egress: what each source can reach</h2>")
        page.add("<table><thead><tr><th>Source</th><th>Destination</th><th>Protocols</th><th>Ports</th><th>Source ports</th></tr></thead><tbody>")
        for source in reach.sources {
            var rows: [String] = source.rows.map {
                "<td><code>\(e($0.addresses.replacingOccurrences(of: ",", with: ", ")))</code></td><td>\(e($0.protocols))</td><td>\(e($0.ports))</td><td>\(e($0.sourcePorts))</td>"
            }
            rows += source.fqdnGrants.map { grant in
                let except = grant.except.isEmpty ? "" : " except " + grant.except.map(\.text).joined(separator: ", ")
                return "<td>name <code>\(e(grant.pattern.text + except))</code> <span class=\"muted\">(\(e(grant.rule)))</span></td><td>\(e(grant.protocols.joined(separator: ", ")))</td><td></td><td></td>"
            }
            rows += source.notes.map { "<td colspan=\"4\" class=\"muted\">note: \(e($0))</td>" }
            if rows.isEmpty { rows = ["<td colspan=\"4\" class=\"muted\">nothing</td>"] }
            let head = "<td class=\"src\" rowspan=\"\(rows.count)\">\(e(source.source))<br><span class=\"muted mono\">\(e(source.sourceAddresses))</span></td>"
            for (n, row) in rows.enumerated() { page.add("<tr>\(n == 0 ? head : "")\(row)</tr>") }
        }
        page.add("</tbody></table>")
        page.add("</section>")
    }

    /// Lists longer than this are folded into a `<details>` element (no scripts: the page forbids them).
    static let openListLimit = 8

    /// Items joined with line breaks; past `openListLimit`, the first ones stay visible and the rest fold away.
    private func list(_ items: [String], noun: String) -> String {
        guard items.count > Self.openListLimit else { return items.joined(separator: "<br>") }
        let shown = items.prefix(Self.openListLimit).joined(separator: "<br>")
        let rest = items.dropFirst(Self.openListLimit).joined(separator: "<br>")
        return "\(shown)<details><summary>\(items.count - Self.openListLimit) more \(noun)</summary>\(rest)</details>"
    }

    /// Egress folded into names: a summary of what each source reaches outside the virtual networks, then one
    /// collapsible table per source with one row per destination and its services merged.
    private func foldedEgress(_ page: inout HTMLWriter, _ summary: ReachSummary) {
        page.add("<section id=\"egress\">")
        page.add("<h2>Egress: what each source can reach</h2>")
        page.add("<h3>Outside the virtual networks</h3>")
        page.add("<table><thead><tr><th>Source</th><th>Destinations (services)</th></tr></thead><tbody>")
        let outside = Dictionary(grouping: summary.outside, by: \.source)
        let addresses = Dictionary(summary.sources.map { ($0.source, $0.addresses) }, uniquingKeysWith: { first, _ in first })
        func outsideCell(_ source: String) -> String {
            // One line per destination name: unnamed public ranges reached on different ports read as one entry.
            let rows = outside[source] ?? []
            var items = grouped(rows) { $0.destination.name }.map { group in
                var services: [String] = []
                for row in group.keys { for service in row.services where !services.contains(service) { services.append(service) } }
                return "\(e(group.value)) <span class=\"muted\">(\(e(services.joined(separator: ", "))))</span>"
            }
            items += summary.nameEntries(for: source).map {
                "name <code>\(e($0.pattern))</code> <span class=\"muted\">(\(e($0.protocols.joined(separator: ", "))))</span>"
            }
            return items.isEmpty ? "<span class=\"muted\">nothing</span>" : list(items, noun: "destinations")
        }
        let sourceNames = summary.sources.map(\.source)
        if condensed(sourceNames.count) {
            // Sources with the same answer share a row.
            for group in grouped(sourceNames, outsideCell) {
                page.add("<tr><td class=\"src\">\(sourcesCell(group.keys) { addresses[$0] ?? "" })</td><td>\(group.value)</td></tr>")
            }
        } else {
            for header in summary.sources {
                page.add("<tr><td class=\"src\">\(e(header.source))<br><span class=\"muted mono\">\(e(header.addresses))</span></td><td>\(outsideCell(header.source))</td></tr>")
            }
        }
        page.add("</tbody></table>")
        page.add("<h3>Every destination, by source</h3>")
        let flows = Dictionary(grouping: summary.flows, by: \.source)
        let headers = Dictionary(summary.sources.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        func table(_ source: String) -> (count: Int, html: String) {
            let rows = flows[source] ?? []
            let grants = summary.names[source] ?? []
            let notes = headers[source]?.notes ?? []
            var html = ["<table><thead><tr><th>Destination</th><th>Services</th></tr></thead><tbody>"]
            for row in rows {
                html.append("<tr><td>\(e(row.destination.text))</td><td>\(list(row.services.map { e($0) }, noun: "services"))</td></tr>")
            }
            for grant in grants {
                let except = grant.except.isEmpty ? "" : " except " + grant.except.map(\.text).joined(separator: ", ")
                html.append("<tr><td>name <code>\(e(grant.pattern.text + except))</code> <span class=\"muted\">(\(e(grant.rule)))</span></td><td>\(e(grant.protocols.joined(separator: ", ")))</td></tr>")
            }
            for note in notes { html.append("<tr><td colspan=\"2\" class=\"muted\">note: \(e(note))</td></tr>") }
            if rows.count + grants.count == 0 && notes.isEmpty { html.append("<tr><td colspan=\"2\" class=\"muted\">nothing</td></tr>") }
            html.append("</tbody></table>")
            return (rows.count + grants.count, html.joined(separator: "\n"))
        }
        func details(_ label: String, _ table: (count: Int, html: String)) {
            page.add("<details class=\"source\"><summary>\(label) <span class=\"muted\">· \(table.count) destination\(table.count == 1 ? "" : "s")</span></summary>")
            page.add(table.html + "</details>")
        }
        if condensed(sourceNames.count) {
            // Sources with the same destinations share one table; past the limit, the page says where the rest is.
            let groups = grouped(sourceNames) { table($0).html }
            for group in groups.prefix(Self.groupLimit) {
                let first = group.keys[0]
                let label = group.keys.count == 1
                    ? "<b>\(e(first))</b> <span class=\"muted mono\">\(e(headers[first]?.addresses ?? ""))</span>"
                    : "<b>\(e(first))</b> and \(group.keys.count - 1) more source\(group.keys.count == 2 ? "" : "s") with the same destinations"
                details(label + (group.keys.count > 1 ? "<div class=\"muted\">\(e(group.keys.joined(separator: ", ")))</div>" : ""),
                        ((flows[first]?.count ?? 0) + (summary.names[first]?.count ?? 0), group.value))
            }
            if groups.count > Self.groupLimit {
                let rest = groups.dropFirst(Self.groupLimit).map(\.keys.count).reduce(0, +)
                page.add("<p class=\"muted\">\(rest) more sources in \(groups.count - Self.groupLimit) groups are not spelled out here: \(fullTableHint).</p>")
            }
        } else {
            for header in summary.sources {
                details("<b>\(e(header.source))</b> <span class=\"muted mono\">\(e(header.addresses))</span>", table(header.source))
            }
        }
        page.add("</section>")
    }

    /// Ingress folded into names: per private resource, the sources that reach it with their services.
    private func foldedIngress(_ page: inout HTMLWriter, _ summary: ReachSummary) {
        page.add("<section id=\"ingress\">")
        page.add("<h2>Ingress: who can reach each private resource</h2>")
        if summary.exposure.isEmpty {
            page.add("<p class=\"muted\">No private resources (NICs or private endpoints).</p>")
            page.add("</section>")
            return
        }
        page.add("<table><thead><tr><th>Resource</th><th>From (services)</th></tr></thead><tbody>")
        func cell(_ resource: ResourceExposure) -> String {
            let items = resource.sources.map { "\(e($0.source)) <span class=\"muted\">(\(e($0.services.joined(separator: ", "))))</span>" }
            return items.isEmpty ? "<span class=\"muted\">no source</span>" : list(items, noun: "sources")
        }
        if condensed(summary.exposure.count) {
            // Resources reached by the same sources share a row; past the limit, the page says where the rest is.
            let groups = grouped(summary.exposure, cell)
            for group in groups.prefix(Self.groupLimit) {
                let resources = group.keys
                let names: String
                if resources.count == 1 {
                    names = "\(e(resources[0].resource))<br><span class=\"muted mono\">\(e(resources[0].address.description))</span>"
                } else {
                    names = "<b>\(resources.count) resources</b><br>" + list(resources.map { "\(e($0.resource)) <span class=\"muted mono\">\(e($0.address.description))</span>" }, noun: "resources")
                }
                page.add("<tr><td class=\"src\">\(names)</td><td>\(group.value)</td></tr>")
            }
            page.add("</tbody></table>")
            if groups.count > Self.groupLimit {
                let rest = groups.dropFirst(Self.groupLimit).map(\.keys.count).reduce(0, +)
                page.add("<p class=\"muted\">\(rest) more resources in \(groups.count - Self.groupLimit) groups are not spelled out here: \(fullTableHint).</p>")
            }
            page.add("</section>")
            return
        }
        for resource in summary.exposure {
            page.add("<tr><td class=\"src\">\(e(resource.resource))<br><span class=\"muted mono\">\(e(resource.address.description))</span></td><td>\(cell(resource))</td></tr>")
        }
        page.add("</tbody></table>")
        page.add("</section>")
    }

    private func ingress(_ page: inout HTMLWriter, _ reach: ReachReport) {
        page.add("<section id=\"ingress\">")
        page.add("<h2>Ingress: who can reach each private resource</h2>")
        if reach.resources.isEmpty {
            page.add("<p class=\"muted\">No private resources (NICs or private endpoints).</p>")
            page.add("</section>")
            return
        }
        page.add("<table><thead><tr><th>Resource</th><th>From</th><th>Protocols</th><th>Ports</th></tr></thead><tbody>")
        for resource in reach.resources {
            var rows = resource.sources.map { "<td>\(e($0.addresses))</td><td>\(e($0.protocols))</td><td>\(e($0.ports))</td>" }
            if rows.isEmpty { rows = ["<td colspan=\"3\" class=\"muted\">no source</td>"] }
            let head = "<td class=\"src\" rowspan=\"\(rows.count)\">\(e(resource.resource))<br><span class=\"muted mono\">\(e(resource.address.description))</span></td>"
            for (n, row) in rows.enumerated() { page.add("<tr>\(n == 0 ? head : "")\(row)</tr>") }
        }
        page.add("</tbody></table>")
        page.add("</section>")
    }

    private func addressPlan(_ page: inout HTMLWriter) {
        page.add("<section id=\"address-plan\">")
        page.add("<h2>Address plan</h2>")
        let fold = condensed(plan.virtualNetworks.count, limit: Metrics.detailedNetworkLimit)
        for network in plan.virtualNetworks {
            let title = "\(e(network.name)) <span class=\"mono muted\">\(e(network.addressSpace.map(\.description).joined(separator: ", ")))</span>"
            page.add(fold ? "<details class=\"source\"><summary><b>\(title)</b> <span class=\"muted\">· \(network.subnets.count) subnets</span></summary>" : "<h3>\(title)</h3>")
            page.add("<table><thead><tr><th>Subnet</th><th>Prefix</th><th>Usable</th><th>First</th><th>NSG</th><th>Route table</th><th>Hosts</th></tr></thead><tbody>")
            for subnet in network.subnets {
                page.add("<tr><td>\(e(subnet.name))</td><td><code>\(e(subnet.prefix.description))</code></td><td>\(subnet.usableAddresses)</td><td><code>\(e(subnet.firstUsable.description))</code></td><td>\(e(subnet.networkSecurityGroup ?? "–"))</td><td>\(e(subnet.routeTable ?? "–"))</td><td>\(e(subnet.hosts.joined(separator: ", ")))</td></tr>")
            }
            page.add("</tbody></table>")
            if !network.unallocated.isEmpty {
                page.add("<p class=\"muted\">Unallocated: <code>\(e(network.unallocated.map(\.description).joined(separator: ", ")))</code></p>")
            }
            if fold { page.add("</details>") }
        }
        if plan.virtualNetworks.isEmpty { page.add("<p class=\"muted\">No virtual networks.</p>") }
        page.add("</section>")
    }

    private func inventory(_ page: inout HTMLWriter) {
        page.add("<section id=\"inventory\">")
        page.add("<h2>Inventory (\(plan.resourceCount) resources)</h2>")
        let fold = condensed(plan.resourceCount, limit: Self.inventoryLimit)
        for group in plan.inventory {
            let title = "\(e(group.title)) <span class=\"muted\">(\(group.resources.count))</span>"
            page.add(fold ? "<details class=\"source\"><summary><b>\(title)</b></summary>" : "<h3>\(title)</h3>")
            page.add("<table><thead><tr><th>Name</th><th>Settings</th><th>Resource ID</th></tr></thead><tbody>")
            let shown = fold ? Array(group.resources.prefix(Self.inventoryRowLimit)) : group.resources
            for item in shown {
                page.add("<tr><td>\(e(item.name))</td><td>\(e(item.summary))</td><td class=\"id\">\(e(item.id.rawValue))</td></tr>")
            }
            if shown.count < group.resources.count {
                page.add("<tr><td colspan=\"3\" class=\"muted\">\(group.resources.count - shown.count) more: <code>palisade plan \(e(plan.input)) --format json</code> lists every resource; <code>palisade report --full</code> puts them all on this page</td></tr>")
            }
            page.add("</tbody></table>")
            if fold { page.add("</details>") }
        }
        page.add("</section>")
    }

    private func notes(_ page: inout HTMLWriter) {
        let lines = plan.diagnostics.map(\.description) + (reach?.notes ?? [])
        guard !lines.isEmpty else { return }
        page.add("<section id=\"notes\">")
        page.add("<h2>Notes</h2>")
        page.add("<ul>" + lines.map { "<li>\(e($0))</li>" }.joined() + "</ul>")
        page.add("</section>")
    }
}

/// Accumulates the page's lines.
struct HTMLWriter {
    private var lines: [String] = []
    mutating func add(_ line: String) { lines.append(line) }
    var text: String { lines.joined(separator: "\n") + "\n" }
}
