import Foundation
import PalisadeARM
import PalisadeBicep
import PalisadeDiff
import PalisadeModel
import PalisadeNetwork

// palisade-bench: the large-estate performance scenario. 1 hub with a firewall policy of 2,000 rules, 200 spokes
// × 8 subnets, 1,600 NSGs × 40 rules, a route table on every subnet, the real service-tag data loaded.
// Measures compile, full `reach` over all sources, one `trace`, and peak memory. Run with
//   swift run -c release palisade-bench [--spokes N] [--runs N] [--service-tags FILE] [--digest] [--dump FILE]

func argument(_ name: String, default value: String) -> String {
    let args = CommandLine.arguments
    guard let index = args.firstIndex(of: name), index + 1 < args.count else { return value }
    return args[index + 1]
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// This process's resource usage so far.
func resourceUsage() -> rusage {
    var usage = rusage()
    #if os(Linux)
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return usage
}

/// User plus system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    let usage = resourceUsage()
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Peak resident memory in MiB.
func peakMemoryMiB() -> Double {
    Double(resourceUsage().ru_maxrss) / 1024  // Linux reports KiB
}

if CommandLine.arguments.contains("--terraform") {
    runTerraformBenchmark()
    exit(0)
}
// `--audit 1000,3000,10000 [--check]`: the audit benchmark (read through the clients, save, load back; `--check`
// also runs the rule catalog), each size in its own process (peak memory is per process).
if CommandLine.arguments.contains("--audit-vnets") {
    AuditBench.run(vnets: Int(argument("--audit-vnets", default: "1000")) ?? 1000,
                   keep: CommandLine.arguments.contains("--keep") ? argument("--keep", default: "") : nil,
                   check: CommandLine.arguments.contains("--check"))
    exit(0)
}
if CommandLine.arguments.contains("--audit") {
    for size in argument("--audit", default: "1000,3000,10000").split(separator: ",") {
        let process = Process()
        process.executableURL = Bundle.main.executableURL
        process.arguments = ["--audit-vnets", String(size)] + (CommandLine.arguments.contains("--check") ? ["--check"] : [])
        try? process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { exit(process.terminationStatus) }
    }
    exit(0)
}
// Bicep: compile the Azure Verified Module for an Azure ML workspace through its `max` e2e test (every feature on:
// the module, its nested and registry modules, private endpoints, computes, datastores) and expand it, median of
// several runs. `--bicep-only` stops after this part.
do {
    let workspace = argument("--bicep-module", default: "../shared/fixtures/bicep/avm/avm/res/machine-learning-services/workspace/tests/e2e/max/main.test.bicep")
    var bicep = BicepOptions()
    bicep.modulePaths = [argument("--bicep-registry", default: "../shared/fixtures/bicep/avm/_registry")]
    var evaluation = EvaluationOptions()
    evaluation.placeholders = true
    evaluation.overrides = ["namePrefix": "pal"]
    var times: [Double] = []
    var resources = 0
    var errors = 0
    for _ in 0..<max(1, Int(argument("--runs", default: "5")) ?? 5) {
        times.append(seconds {
            let compiled = BicepCompiler.compile(file: workspace, options: bicep)
            let expanded = BicepExpander.expand(compiled, options: evaluation)
            resources = expanded.resources.count
            errors = expanded.diagnostics.errors.count
        })
    }
    times.sort()
    let median = String(format: "%8.1f", times[times.count / 2] * 1000)
    let range = String(format: "%.1f–%.1f", times[0] * 1000, times[times.count - 1] * 1000)
    print("palisade-bench (Bicep): \(workspace)")
    print("  compile + expand    \(median) ms   median of \(times.count) (\(range) ms); \(resources) resources, \(errors) errors")
    if CommandLine.arguments.contains("--bicep-only") { exit(0) }
}

// `--vwan-only`: a Virtual WAN (`--vwan-hubs`, `--vwan-connections`): compile and reach over every source.
if CommandLine.arguments.contains("--vwan-only") {
    let hubs = Int(argument("--vwan-hubs", default: "4")) ?? 4
    let connections = Int(argument("--vwan-connections", default: "400")) ?? 400
    var wanGraph = ResourceGraph()
    let generateWAN = seconds { wanGraph = SyntheticEstate.virtualWAN(hubs: hubs, connections: connections) }
    var wanModel: NetworkModel?
    let compileWAN = seconds { wanModel = NetworkModel.compile(wanGraph, options: NetworkOptions()) }
    guard let wanModel else { exit(3) }
    var wanReport: ReachReport?
    var wanTimes: [Double] = []
    for _ in 0..<max(1, Int(argument("--runs", default: "3")) ?? 3) { wanTimes.append(seconds { wanReport = wanModel.reach() }) }
    wanTimes.sort()
    print("""
    palisade-bench (Virtual WAN): \(wanGraph.count) resources, \(hubs) hubs, \(connections) connections, \(wanModel.subnets.count) subnets
      generate estate     \(String(format: "%8.3f", generateWAN)) s
      compile             \(String(format: "%8.3f", compileWAN)) s
      reach (all sources) \(String(format: "%8.3f", wanTimes[wanTimes.count / 2])) s   median of \(wanTimes.count); \(wanReport?.sources.count ?? 0) sources
      peak memory         \(String(format: "%8.1f", peakMemoryMiB())) MiB
    """)
    exit(0)
}
let spokes = Int(argument("--spokes", default: "200")) ?? 200
let tagsPath = argument("--service-tags", default: "../shared/fixtures/service-tags/ServiceTags_Public_20251028.json")
var options = NetworkOptions()
let tagLoad = seconds {
    if let catalog = try? ServiceTagCatalog.load(path: tagsPath) { options.serviceTags = catalog }
}
var graph = ResourceGraph()
let generate = seconds {
    graph = SyntheticEstate.hubAndSpoke(spokes: spokes, subnetsPerSpoke: 8, rulesPerNSG: 40, firewallRules: 2000)
}
// `--report FILE [--browser PATH]`: the HTML report of this estate, its size per section, and its load time.
if CommandLine.arguments.contains("--report") {
    ReportBench.run(path: argument("--report", default: "report.html"), spokes: spokes, options: options,
                    browser: CommandLine.arguments.contains("--browser") ? argument("--browser", default: "chromium") : nil)
    exit(0)
}
var model: NetworkModel?
let compile = seconds { model = NetworkModel.compile(graph, options: options) }
guard let model else { exit(3) }
// The machine is shared (a VM), so reach runs several times and the median is reported with the range.
let runs = max(1, Int(argument("--runs", default: "5")) ?? 5)
var report: ReachReport?
var reachTimes: [Double] = []
var reachCPU: [Double] = []
for _ in 0..<runs {
    let cpu = cpuSeconds()
    reachTimes.append(seconds { report = model.reach() })
    reachCPU.append(cpuSeconds() - cpu)
}
reachTimes.sort()
reachCPU.sort()
let reach = reachTimes[reachTimes.count / 2]
let sourceSubnet = model.subnetOrder.last ?? model.subnetOrder[0]
let traces = 200
let traceTotal = seconds {
    for i in 0..<traces {
        _ = model.trace(from: .subnet(sourceSubnet), to: .address(IPv4Address(10, UInt8(16 + (i % spokes) / 16), UInt8((i % spokes) % 16 * 16 + 1), 4)), port: 443, protocol: .tcp)
    }
}
print("""
palisade-bench: \(graph.count) resources, \(spokes) spokes x 8 subnets, \(model.subnets.count) subnets, service tags \(options.serviceTags == .symbolic ? "symbolic" : "loaded")
  service tags load   \(String(format: "%8.3f", tagLoad)) s
  generate estate     \(String(format: "%8.3f", generate)) s
  compile             \(String(format: "%8.3f", compile)) s
  reach (all sources) \(String(format: "%8.3f", reach)) s   median of \(runs) (\(String(format: "%.3f", reachTimes[0]))–\(String(format: "%.3f", reachTimes[reachTimes.count - 1])) s); \(report?.sources.count ?? 0) sources, \(report?.resources.count ?? 0) resources
  reach CPU time      \(String(format: "%8.3f", reachCPU[reachCPU.count / 2])) s   median, over \(ProcessInfo.processInfo.activeProcessorCount) cores
  trace (mean of \(traces)) \(String(format: "%8.3f", traceTotal / Double(traces) * 1000)) ms
  peak memory         \(String(format: "%8.1f", peakMemoryMiB())) MiB
""")
// `--digest`: a hash of the result as `reach --format json` prints it plus the text tables (to check that a change
// leaves results byte-identical); `--dump FILE` writes that JSON. After the peak memory is read: encoding 40 MB of
// JSON would raise it.
if CommandLine.arguments.contains("--digest") || CommandLine.arguments.contains("--dump"), let report {
    let json = (try? report.json()) ?? ""
    if CommandLine.arguments.contains("--dump") {
        let path = argument("--dump", default: "reach.json")
        if !FileManager.default.createFile(atPath: path, contents: Data(json.utf8)) { print("palisade-bench: cannot write \(path)") }
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits
    for byte in json.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    var textHash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in report.text.utf8 { textHash = (textHash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    print("  result digest       json \(String(hash, radix: 16)) (\(json.utf8.count) bytes), text \(String(textHash, radix: 16))")
}

// `diff` of two estates: the same estate with one spoke's NSG changed (an Internet allow rule on one subnet's
// NSG), and with every NSG changed. Timed end to end after loading: compile both, the relation difference,
// folding with witnesses, findings on both, resource changes.
func withNSGEdit(_ graph: ResourceGraph, every: Bool) -> ResourceGraph {
    var graph = graph
    let groups = graph.all(NetworkSecurityGroup.self)
    for nsg in every ? groups : Array(groups.prefix(1)) {
        graph.update(nsg.id, as: NetworkSecurityGroup.self) { group in
            group.securityRules.insert(SecurityRule(name: "open-ssh", priority: 99, direction: .inbound, access: .allow, protocol: .tcp,
                                                    source: .serviceTag("Internet"), sourcePorts: .any, destination: .any,
                                                    destinationPorts: .ports(22)), at: 0)
        }
    }
    return graph
}
for (title, every) in [("diff, one spoke's NSG", false), ("diff, every NSG     ", true)] {
    let after = withNSGEdit(graph, every: every)
    var times: [Double] = []
    var review: ChangeReview?
    var reachOnly: [Double] = []
    var recomputed = 0
    var compileBoth: [Double] = []
    var diffCPU: [Double] = []
    for _ in 0..<max(1, min(runs, 3)) {
        // The full review also runs the rule catalog on both versions; `--review` includes it (slow on large
        // estates: the catalog is not incremental).
        if CommandLine.arguments.contains("--review") {
            times.append(seconds {
                review = ChangeReview.review(before: ReviewInput(graph: graph, label: "before"), after: ReviewInput(graph: after, label: "after"), options: options)
            })
        }
        var models: (NetworkModel, NetworkModel)?
        let cpuAtStart = cpuSeconds()
        compileBoth.append(seconds { models = ChangeReview.compileBoth(graph, after, options: options) })
        guard let (old, new) = models else { continue }
        reachOnly.append(seconds { recomputed = ReachabilityDiff.compute(before: old, after: new).recomputedSources })
        diffCPU.append(cpuSeconds() - cpuAtStart)
    }
    compileBoth.sort()
    times.sort()
    reachOnly.sort()
    let c = compileBoth[compileBoth.count / 2]
    let r = reachOnly[reachOnly.count / 2]
    diffCPU.sort()
    print("  \(title) \(String(format: "%8.3f", c + r)) s   (\(String(format: "%.3f", diffCPU[diffCPU.count / 2])) s CPU over both cores)   compile both \(String(format: "%.3f", c)) s + relation difference \(String(format: "%.3f", r)) s (median of \(reachOnly.count)); \(recomputed) sources followed in full"
          + (times.isEmpty ? "" : "; full review with findings \(String(format: "%.3f", times[times.count / 2])) s, \(review?.introduced.count ?? 0) findings introduced"))
}
