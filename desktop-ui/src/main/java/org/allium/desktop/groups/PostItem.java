package org.allium.desktop.groups;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.allium.core.groups.GroupPost;
import org.allium.desktop.MessageBubble;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * One entry of a group's history. A post is a bubble — others' on the left with the author's
 * name in the author's colour, ours on the right with "Delivered to n of m" — its text a
 * plain text area; a membership change is a centred line ("Ana added Bogdan"). Every name
 * and text is sanitised plain text. Event thread only.
 */
final class PostItem extends JPanel {
    private final UiContext ctx;
    private GroupPost post;
    /** The author line of others' posts (null for ours and for membership lines). */
    final JLabel author;
    /** The post's text, or null for a membership line. */
    final MessageBubble.MessageText text;
    /** Time and, for ours, delivery; for a membership line, the whole line. */
    final JLabel meta = Ui.small(" ");

    PostItem(UiContext ctx, GroupPost post, String authorName, String subjectName) {
        this.ctx = ctx;
        this.post = post;
        setOpaque(false);
        if (post.kind() != GroupPost.Kind.POST) {
            setName("groupEvent");
            setLayout(new FlowLayout(FlowLayout.CENTER, 0, Ui.gap() / 2));
            author = null;
            text = null;
            meta.setText(PlainText.inert(eventLine(ctx, post, authorName, subjectName) + " · " + time(post)));
            add(meta);
            getAccessibleContext().setAccessibleName(meta.getText());
            return;
        }
        setName("groupPost");
        setLayout(new FlowLayout(post.mine() ? FlowLayout.TRAILING : FlowLayout.LEADING, Ui.gap(), Ui.gap() / 2));
        String bg = post.mine() ? "Allium.bubble.outgoing.background" : "Allium.bubble.incoming.background";
        JPanel bubble = new JPanel(new BorderLayout(0, 2)) {
            @Override
            protected void paintComponent(Graphics g) {
                Graphics2D g2 = (Graphics2D) g.create();
                g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g2.setColor(Theme.color(bg, Color.LIGHT_GRAY));
                g2.fillRoundRect(0, 0, getWidth(), getHeight(), 14, 14);
                g2.dispose();
            }
        };
        bubble.setOpaque(false);
        bubble.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
        if (post.mine()) {
            author = null;
        } else {
            author = new JLabel() {
                @Override
                public void updateUI() {
                    super.updateUI();
                    setFont(getFont().deriveFont(Font.BOLD));
                    if (PostItem.this.post != null) {
                        setForeground(AuthorColors.of(PostItem.this.post.author()));
                    }
                }
            };
            PlainText.guard(author);
            author.setText(authorName);
            author.setForeground(AuthorColors.of(post.author()));
            bubble.add(author, BorderLayout.NORTH);
        }
        text = new MessageBubble.MessageText();
        text.setForeground(Theme.color("Allium.bubble.foreground", Color.BLACK));
        text.setText(PlainText.text(post.text(), org.allium.core.groups.Groups.MAX_POST_LENGTH));
        text.setCaretPosition(0);
        bubble.add(text, BorderLayout.CENTER);
        JPanel south = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        south.setOpaque(false);
        south.add(meta);
        bubble.add(south, BorderLayout.SOUTH);
        add(bubble);
        setPost(post);
    }

    GroupPost post() {
        return post;
    }

    /** Updates what can change of a shown post: its delivery count. */
    void setPost(GroupPost p) {
        this.post = p;
        if (text == null) {
            return;
        }
        String t = time(p);
        meta.setText(p.mine() ? t + " · " + delivery(ctx, p) : t);
        String who = author == null ? ctx.text("group.member.you") : author.getText();
        getAccessibleContext().setAccessibleName(who + ", " + meta.getText());
        revalidate();
        repaint();
    }

    /** "Delivered to 7 of 9", as chat shows a message's status. */
    static String delivery(UiContext ctx, GroupPost p) {
        if (p.of() == 0) {
            return ctx.text("group.delivery.alone");
        }
        return ctx.format("group.delivery", p.deliveredTo(), p.of());
    }

    LocalDate day() {
        return post.composed().atZone(ctx.zone()).toLocalDate();
    }

    private String time(GroupPost p) {
        ZonedDateTime t = p.composed().atZone(ctx.zone());
        if (t.toLocalDate().equals(LocalDate.now(ctx.clock()))) {
            return DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(ctx.messages().locale()).format(t);
        }
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(ctx.messages().locale()).format(t);
    }

    /** The sentence of a membership change; names are already sanitised, the group name is sanitised here. */
    static String eventLine(UiContext ctx, GroupPost p, String who, String subject) {
        return switch (p.kind()) {
            case CREATED -> ctx.format("group.event.created", who,
                    PlainText.name(p.text(), ctx.text("group.noName")));
            case JOINED -> ctx.format("group.event.joined", who);
            case LEFT -> ctx.format("group.event.left", who);
            case ADDED -> ctx.format("group.event.added", who, subject);
            case REMOVED -> ctx.format("group.event.removed", who, subject);
            case RENAMED -> ctx.format("group.event.renamed", who,
                    PlainText.name(p.text(), ctx.text("group.noName")));
            case APPOINTED -> ctx.format("group.event.appointed", who, subject);
            case INTRODUCED -> ctx.format("group.event.introduced", who);
            case POST -> "";
        };
    }

    @Override
    public Dimension getMaximumSize() {
        return new Dimension(Integer.MAX_VALUE, getPreferredSize().height);
    }
}
