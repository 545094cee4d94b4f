extension Array {
    /// Makes `index` valid, appending `filler` as needed: for arrays indexed by small dense
    /// handles (job slots) that grow as handles are first used.
    @inlinable
    public mutating func growToInclude(_ index: Int, with filler: Element) {
        if index >= count { append(contentsOf: repeatElement(filler, count: index - count + 1)) }
    }
}

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
