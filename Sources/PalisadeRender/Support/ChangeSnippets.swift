import Foundation
import PalisadeModel

/// The code to change in rendered infrastructure: what differs between the rendering of two graphs, per resource.
public enum ChangeSnippets {
    /// For `target`, every resource block that differs between `before` and `after`, as unified-diff-style lines
    /// (`-` removed, `+` added, unchanged lines elided with `…`); nil when either graph cannot be rendered or nothing
    /// differs. `beforeFiles` reuses a rendering of `before` when the caller already has one.
    public static func snippet(before: ResourceGraph, after: ResourceGraph, target: RenderTarget, beforeFiles: [RenderedFile]? = nil) -> String? {
        let old = beforeFiles ?? Renderer.render(before, target: target).files
        let new = Renderer.render(after, target: target).files
        guard !old.isEmpty, !new.isEmpty else { return nil }
        let oldBlocks = old.flatMap { blocks(of: $0.contents, target: target) }
        let newBlocks = new.flatMap { blocks(of: $0.contents, target: target) }
        var out: [String] = []
        let oldByKey = Dictionary(oldBlocks.map { ($0.key, $0.lines) }, uniquingKeysWith: { a, _ in a })
        let newKeys = Set(newBlocks.map(\.key))
        for block in newBlocks {
            guard let previous = oldByKey[block.key] else {
                out += block.lines.map { "+ " + $0 }
                continue
            }
            if previous != block.lines { out += hunk(previous, block.lines) }
        }
        for block in oldBlocks where !newKeys.contains(block.key) { out += block.lines.map { "- " + $0 } }
        return out.isEmpty ? nil : out.joined(separator: "\n")
    }

    private struct Block {
        var key: String
        var lines: [String]
    }

    /// Top-level resource blocks: Terraform and Bicep blocks start at column 0 and end at a `}` line; ARM resources
    /// are the elements of the template's top-level `resources` array.
    private static func blocks(of text: String, target: RenderTarget) -> [Block] {
        let lines = text.components(separatedBy: "\n")
        var result: [Block] = []
        var current: [String] = []
        switch target {
        case .terraform, .bicep:
            for line in lines {
                if current.isEmpty {
                    if line.hasSuffix("{"), let first = line.first, first != " ", first != "#", !line.hasPrefix("//") { current = [line] }
                    continue
                }
                current.append(line)
                if line == "}" { result.append(Block(key: current[0], lines: current)); current = [] }
            }
        case .arm:
            var inResources = false
            for line in lines {
                if !inResources { inResources = line == "  \"resources\": ["; continue }
                if current.isEmpty {
                    if line == "    {" { current = [line] } else if line.hasPrefix("  ]") { inResources = false }
                    continue
                }
                current.append(line)
                if line == "    }" || line == "    }," {
                    if line == "    }," { current[current.count - 1] = "    }" }
                    let identity = current.filter { $0.hasPrefix("      \"type\":") || $0.hasPrefix("      \"name\":") }.joined()
                    result.append(Block(key: identity.isEmpty ? current.joined() : identity, lines: current))
                    current = []
                }
            }
        }
        return result
    }

    /// The changed lines of one block with its first line for context; runs of unchanged lines become `…`.
    private static func hunk(_ a: [String], _ b: [String]) -> [String] {
        // Longest common subsequence over lines (blocks are small).
        let n = a.count, m = b.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = ["  " + b[0]]
        var i = 0, j = 0
        var pending: [String] = []
        func flush() {
            if pending.count > 1 { out.append("  …") } else { out += pending.map { "  " + $0 } }
            pending = []
        }
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                if i > 0 { pending.append(a[i]) }
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                // Removed lines before added ones, as unified diffs show them.
                flush()
                out.append("- " + a[i])
                i += 1
            } else {
                flush()
                out.append("+ " + b[j])
                j += 1
            }
        }
        if let last = pending.popLast() {
            flush()
            out.append("  " + last)
        }
        return out
    }
}
