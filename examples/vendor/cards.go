package main

import (
	"context"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/sdk"
)

// Cards greets every group the cool app is installed into with a message
// card: it exchanges the install's auth code for the org access token and
// posts the card with it.
type Cards struct {
	Client *sdk.Client
}

// Handle acts on cool_app.installed and ignores the rest.
func (c *Cards) Handle(e *sdk.Event) error {
	if e.Type != sdk.EventCoolAppInstalled {
		return nil
	}
	p, err := e.Payload()
	if err != nil {
		return err
	}
	in := p.(*sdk.CoolAppInstalled)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := c.Client.ExchangeCode(ctx, in.AuthCode)
	if err != nil {
		return fmt.Errorf("exchange the install code: %w", err)
	}
	card, err := c.Client.PostCard(ctx, tok.AccessToken, in.Group.ID, WelcomeCard(in))
	if err != nil {
		return fmt.Errorf("post the welcome card: %w", err)
	}
	fmt.Printf("card %s posted into group %s\n", card.ID, in.Group.ID)
	return nil
}

// WelcomeCard is the card a group gets when the app joins it.
func WelcomeCard(in *sdk.CoolAppInstalled) sdk.Card {
	return sdk.Card{
		Title: "欢迎使用 · Welcome",
		Text:  "本群已安装本应用。The app is now in " + in.Group.Name + ".",
		Fields: []sdk.CardField{
			{Label: "群成员 Members", Value: fmt.Sprint(len(in.Members))},
		},
		Buttons: []sdk.CardButton{{Text: "打开应用 Open", Path: "/"}},
	}
}
