package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CreateCategory adds a node to the category tree.
func (s *Store) CreateCategory(ctx context.Context, n shelf.NewCategory) (*shelf.Category, error) {
	name, err := shelf.CleanName("name", n.Name, 40)
	if err != nil {
		return nil, err
	}
	nameEn, err := shelf.CleanName("name_en", n.NameEn, 60)
	if err != nil {
		return nil, err
	}
	c := &shelf.Category{ID: shelf.NewID("cat"), ParentID: n.ParentID, Name: name, NameEn: nameEn, Position: n.Position, Operators: []string{}}
	err = s.Update(ctx, func(tx *Tx) error {
		c.CreatedAt = tx.Now()
		var parent any
		if n.ParentID != "" {
			p, err := categoryTx(ctx, tx, n.ParentID)
			if err != nil {
				return shelf.FieldError("parent_id", "unknown_category", "parent category %s not found", n.ParentID)
			}
			if p.ParentID != "" {
				return shelf.FieldError("parent_id", "too_deep", "categories have two levels")
			}
			parent = n.ParentID
		}
		tx.touch(shelf.ChangeCategories)
		_, err := tx.ExecContext(ctx, `INSERT INTO categories (id, parent_id, name, name_en, position, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, parent, c.Name, c.NameEn, c.Position, micros(tx.Now()))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	return s.Category(ctx, c.ID)
}

// UpdateCategory renames, reorders or archives a category.
func (s *Store) UpdateCategory(ctx context.Context, id string, p shelf.CategoryPatch) (*shelf.Category, error) {
	var err error
	if p.Name != nil {
		var v string
		if v, err = shelf.CleanName("name", *p.Name, 40); err != nil {
			return nil, err
		}
		p.Name = &v
	}
	if p.NameEn != nil {
		var v string
		if v, err = shelf.CleanName("name_en", *p.NameEn, 60); err != nil {
			return nil, err
		}
		p.NameEn = &v
	}
	err = s.Update(ctx, func(tx *Tx) error {
		c, err := categoryTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Name != nil {
			c.Name = *p.Name
		}
		if p.NameEn != nil {
			c.NameEn = *p.NameEn
		}
		if p.Position != nil {
			c.Position = *p.Position
		}
		if p.Archived != nil {
			c.Archived = *p.Archived
		}
		tx.touch(shelf.ChangeCategories)
		_, err = tx.ExecContext(ctx, `UPDATE categories SET name = $1, name_en = $2, position = $3, archived = $4 WHERE id = $5`,
			c.Name, c.NameEn, c.Position, c.Archived, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update category %s: %w", id, err)
	}
	return s.Category(ctx, id)
}

const categorySelect = `SELECT id, COALESCE(parent_id, ''), name, name_en, position, archived, created_at FROM categories `

func scanCategory(row interface{ Scan(...any) error }) (*shelf.Category, error) {
	c := &shelf.Category{Operators: []string{}}
	var created int64
	if err := row.Scan(&c.ID, &c.ParentID, &c.Name, &c.NameEn, &c.Position, &c.Archived, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMicros(created)
	return c, nil
}

func categoryTx(ctx context.Context, q queryer, id string) (*shelf.Category, error) {
	c, err := scanCategory(q.QueryRowContext(ctx, categorySelect+`WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("category")
	}
	if err != nil {
		return nil, fmt.Errorf("get category: %w", err)
	}
	return c, nil
}

// Category returns one category with its operators, and its place in the
// tree (IsLeaf, Path), read from the whole tree: a small table.
func (s *Store) Category(ctx context.Context, id string) (*shelf.Category, error) {
	c, err := categoryTx(ctx, s.read, id)
	if err != nil {
		return nil, err
	}
	all, err := s.Categories(ctx, true)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	ops, err := s.categoryOperators(ctx)
	if err != nil {
		return nil, err
	}
	if o := ops[id]; o != nil {
		c.Operators = o
	}
	return c, nil
}

// Categories lists the tree in display order: parents by position, each
// followed by its children. Archived nodes only when asked.
func (s *Store) Categories(ctx context.Context, withArchived bool) ([]shelf.Category, error) {
	q := categorySelect
	if !withArchived {
		q += `WHERE archived = FALSE `
	}
	rows, err := s.read.QueryContext(ctx, q+`ORDER BY position, name_en, id`)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	defer rows.Close()
	var all []*shelf.Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ops, err := s.categoryOperators(ctx)
	if err != nil {
		return nil, err
	}
	out := []shelf.Category{}
	for _, p := range all {
		if p.ParentID != "" {
			continue
		}
		out = append(out, withOps(p, ops))
		for _, c := range all {
			if c.ParentID == p.ID {
				out = append(out, withOps(c, ops))
			}
		}
	}
	shelf.FillCategoryTree(out)
	return out, nil
}

func withOps(c *shelf.Category, ops map[string][]string) shelf.Category {
	if o := ops[c.ID]; o != nil {
		c.Operators = o
	}
	return *c
}

func (s *Store) categoryOperators(ctx context.Context) (map[string][]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT category_id, user_id FROM category_operators ORDER BY user_id`)
	if err != nil {
		return nil, fmt.Errorf("category operators: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var c, u string
		if err := rows.Scan(&c, &u); err != nil {
			return nil, err
		}
		out[c] = append(out[c], u)
	}
	return out, rows.Err()
}

// AssignOperator makes a category operator responsible for a category.
func (s *Store) AssignOperator(ctx context.Context, categoryID, userID, byUserID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := categoryTx(ctx, tx, categoryID); err != nil {
			return err
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM platform_roles WHERE user_id = $1 AND role = 'category_operator'`, userID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.FieldError("user_id", "not_an_operator", "user %s is not a category operator", userID)
		}
		if err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO category_operators (category_id, user_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (category_id, user_id) DO NOTHING`, categoryID, userID, micros(tx.Now())); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "category.assign_operator", "category", categoryID, nil, map[string]string{"operator": userID}, "")
	})
}

// UnassignOperator removes an operator from a category.
func (s *Store) UnassignOperator(ctx context.Context, categoryID, userID, byUserID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM category_operators WHERE category_id = $1 AND user_id = $2`, categoryID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shelf.NotFound("category operator")
		}
		return audit(ctx, tx, byUserID, "category.unassign_operator", "category", categoryID, map[string]string{"operator": userID}, nil, "")
	})
}

// OperatorCategories lists the category ids an operator reviews, including
// the children of an assigned parent.
func (s *Store) OperatorCategories(ctx context.Context, userID string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id FROM categories c WHERE c.id IN (SELECT category_id FROM category_operators WHERE user_id = $1)
		OR c.parent_id IN (SELECT category_id FROM category_operators WHERE user_id = $1) ORDER BY c.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("operator categories: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
