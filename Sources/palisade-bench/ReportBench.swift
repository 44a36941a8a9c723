import Foundation
import PalisadeHTML
import PalisadeModel
import PalisadeNetwork
import PalisadeReport
import PalisadeRules

/// `--report FILE [--browser PATH]`: writes the HTML report of the benchmark estate, prints its size per section,
/// and, given a browser, times how long headless Chromium takes to load and lay out the page (median of five,
/// minus the same browser opening an empty page, so the number is the page's own cost).
enum ReportBench {
    static func run(path: String, spokes: Int, options: NetworkOptions, browser: String?) {
        let graph = SyntheticEstate.hubAndSpoke(spokes: spokes, subnetsPerSpoke: 8, rulesPerNSG: 40, firewallRules: 2000)
        var html = ""
        let build = seconds {
            html = HTMLReport(analyzing: graph, input: "synthetic-\(spokes)-spokes", options: options).render()
        }
        do {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            print("palisade-bench: cannot write \(path): \(error.localizedDescription)")
            return
        }
        print("report: \(graph.count) resources, \(html.utf8.count / 1024) KiB, built in \(String(format: "%.2f", build)) s")
        for (section, bytes) in sectionSizes(html) { print("  \(section.padding(toLength: 14, withPad: " ", startingAt: 0)) \(bytes / 1024) KiB") }
        guard let browser else { return }
        let blank = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-bench-blank.html").path
        try? "<!DOCTYPE html><title>blank</title>".write(toFile: blank, atomically: true, encoding: .utf8)
        let empty = median((0..<5).map { _ in seconds { open(browser, blank) } })
        let page = median((0..<5).map { _ in seconds { open(browser, path) } })
        print("  browser load  \(String(format: "%.2f", page - empty)) s (page \(String(format: "%.2f", page)) s, empty page \(String(format: "%.2f", empty)) s, median of 5)")
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// Loads the page in headless Chromium and waits until the DOM is serialised (parse, style and layout done).
    private static func open(_ browser: String, _ file: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(file)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    /// Bytes per top-level `<section id=…>`, in page order.
    private static func sectionSizes(_ html: String) -> [(String, Int)] {
        var result: [(String, Int)] = []
        let bytes = Array(html.utf8)
        let marker = Array("<section id=\"".utf8)
        var starts: [(String, Int)] = []
        var index = 0
        while index + marker.count < bytes.count {
            if bytes[index] == marker[0] && Array(bytes[index..<index + marker.count]) == marker {
                var end = index + marker.count
                while end < bytes.count && bytes[end] != UInt8(ascii: "\"") { end += 1 }
                starts.append((String(decoding: bytes[index + marker.count..<end], as: UTF8.self), index))
                index = end
            } else {
                index += 1
            }
        }
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1].1 : bytes.count
            result.append((start.0, end - start.1))
        }
        return result
    }
}
