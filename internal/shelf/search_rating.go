package shelf

// SearchRating is what the market's search sorts by rating: how many
// visible ratings a listing has and the sum of their stars.
type SearchRating struct {
	Count int
	Stars int
}

// Average is the mean of the stars, 0 with no rating.
func (r SearchRating) Average() float64 {
	if r.Count == 0 {
		return 0
	}
	return float64(r.Stars) / float64(r.Count)
}
