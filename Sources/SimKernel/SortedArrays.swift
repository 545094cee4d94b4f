extension Array where Element: Comparable {
    /// In an ascending array, the first index whose element is not below `value` (`count` if
    /// none): where `value` is, or would be inserted.
    @inlinable
    public func lowerBound(of value: Element) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
