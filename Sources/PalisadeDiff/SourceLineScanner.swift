/// Finds where a one-line value is written in a line of Terraform or Bicep, for placing fix patches.
enum SourceLineScanner {
    /// The value from `start` (spaces skipped) up to a comment or the end of the line, trailing spaces excluded,
    /// in code points (end exclusive). Strings are delimited by `quote` and may hold comment markers; nil when a
    /// string does not close on the line or the value is empty.
    static func valueSpan(_ scalars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, comments: [String]) -> Range<Int>? {
        let markers = comments.map { Array($0.unicodeScalars) }
        var begin = start
        while begin < scalars.count, scalars[begin] == " " || scalars[begin] == "\t" { begin += 1 }
        var end = begin
        var inString = false
        var index = begin
        scan: while index < scalars.count {
            let c = scalars[index]
            if inString {
                if c == "\\" { index += 2; end = min(index, scalars.count); continue }
                if c == quote { inString = false }
                end = index + 1
            } else if c == quote {
                inString = true
                end = index + 1
            } else {
                for marker in markers where scalars[index...].starts(with: marker) { break scan }
                if c != " " && c != "\t" { end = index + 1 }
            }
            index += 1
        }
        guard !inString, end > begin else { return nil }
        return begin..<end
    }
}
