//! The scan behind completion: the tokens before the cursor read with a stack of open
//! brackets and the schema at hand (the approach of graphql-language-service's online
//! parser), ending in the `Context` at the cursor.

use crate::features::completion::context::{
    floor_char_boundary, parse_type, ArgOwner, Context, Frame, Scan, Top, VarPhase,
};
use apollo_compiler::ast::{DirectiveLocation, OperationType, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::Schema;
use apollo_parser::{Lexer, TokenKind};

/// Reads the context at byte `offset` of `text`.
pub fn scan(text: &str, offset: usize, schema: &Schema) -> Scan {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let mut scanner = Scanner {
        schema,
        top: Top::default(),
        stack: Vec::new(),
    };
    let mut word = offset..offset;
    let mut inside_token = false;
    for token in Lexer::new(text).with_limit(2_000_000) {
        let token = match token {
            Ok(token) => token,
            Err(error) => {
                // An unterminated string swallows the cursor; a stray character is skipped.
                let end = error.index() + error.data().len();
                if error.data().starts_with('"') && error.index() < offset && offset <= end {
                    inside_token = true;
                    break;
                }
                continue;
            }
        };
        let start = token.index();
        let end = start + token.data().len();
        if start >= offset {
            break;
        }
        if end > offset
            || (end == offset && matches!(token.kind(), TokenKind::Name | TokenKind::Comment))
        {
            // The cursor is inside or at the end of this token.
            match token.kind() {
                TokenKind::Name => {
                    word = start..end;
                    break;
                }
                TokenKind::StringValue | TokenKind::Comment => {
                    inside_token = true;
                    break;
                }
                TokenKind::Whitespace | TokenKind::Comma => break,
                _ => {}
            }
            if end > offset {
                break;
            }
        }
        scanner.feed(token.kind(), token.data());
    }
    let mut context = if inside_token {
        Context::Nothing
    } else {
        scanner.context()
    };
    if matches!(context, Context::Variable { .. }) {
        // The `$` is replaced with the name.
        if let Some(dollar) = text[..word.start].rfind('$') {
            if text[dollar + 1..word.start].trim().is_empty() {
                word.start = dollar;
            }
        }
    }
    if let Context::Selection { parent } | Context::Spread { parent } = &context {
        let composite = matches!(
            schema.types.get(parent.as_str()),
            Some(ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_))
        );
        if !composite {
            context = Context::Nothing;
        }
    }
    Scan {
        context,
        word,
        variables: scanner.top.variables,
    }
}

struct Scanner<'s> {
    schema: &'s Schema,
    top: Top,
    stack: Vec<Frame>,
}

impl Scanner<'_> {
    fn field_type(&self, parent: &str, field: &str) -> Option<String> {
        self.schema
            .type_field(parent, field)
            .ok()
            .map(|f| f.ty.inner_named_type().to_string())
    }

    fn argument_type(&self, owner: &ArgOwner, name: &str) -> Option<Type> {
        match owner {
            ArgOwner::Field { parent, field } => self
                .schema
                .type_field(parent, field)
                .ok()?
                .argument_by_name(name)
                .map(|a| (*a.ty).clone()),
            ArgOwner::Directive(directive) => self
                .schema
                .directive_definitions
                .get(directive.as_str())?
                .argument_by_name(name)
                .map(|a| (*a.ty).clone()),
        }
    }

    fn input_field_type(&self, object: &str, name: &str) -> Option<Type> {
        match self.schema.types.get(object)? {
            ExtendedType::InputObject(input) => input.fields.get(name).map(|f| (*f.ty).clone()),
            _ => None,
        }
    }

    /// The type of the value being written in a `Fields` frame.
    fn value_type(&self, frame: &Frame) -> Option<Type> {
        let Frame::Fields {
            owner,
            object,
            present,
            ..
        } = frame
        else {
            return None;
        };
        let name = present.last()?;
        match (owner, object) {
            (Some(owner), _) => self.argument_type(owner, name),
            (None, Some(object)) => self.input_field_type(object, name),
            (None, None) => None,
        }
    }

    fn root_type(&self) -> Option<String> {
        let operation = match self.top.keyword.as_deref() {
            None | Some("query") => OperationType::Query,
            Some("mutation") => OperationType::Mutation,
            Some("subscription") => OperationType::Subscription,
            Some("fragment") => return self.top.fragment_type.clone(),
            Some(_) => return None,
        };
        self.schema.root_operation(operation).map(|n| n.to_string())
    }

    /// A value's opening bracket: an input object or a list of `ty`.
    fn open_value(&mut self, kind: TokenKind, ty: Option<Type>) {
        match kind {
            TokenKind::LCurly => {
                let object = ty.map(|t| t.inner_named_type().to_string());
                self.stack.push(Frame::fields(None, object));
            }
            TokenKind::LBracket => {
                let item = ty.map(|t| t.item_type().clone());
                self.stack.push(Frame::List {
                    item,
                    dollar: false,
                });
            }
            _ => {}
        }
    }

    fn close(&mut self, kind: TokenKind) {
        // Recovery: a closer pops up to the nearest frame it closes (an unclosed `(` before a
        // `}` is abandoned); a closer that matches nothing is ignored.
        let Some(depth) = self.stack.iter().rposition(|f| f.closes_with(kind)) else {
            return;
        };
        let mut closed_arguments = false;
        while self.stack.len() > depth {
            match self.stack.pop() {
                Some(Frame::Variables { name, ty, .. }) => self.finish_variable(name, &ty),
                Some(Frame::Fields { owner, .. }) => closed_arguments = owner.is_some(),
                _ => closed_arguments = false,
            }
        }
        if self.stack.is_empty() && kind == TokenKind::RCurly {
            // The end of a definition.
            self.top = Top::default();
        }
        if !closed_arguments {
            // A value or a field's selection set is complete; a field's arguments are not
            // all of it (its selection set may follow).
            self.value_done();
        }
    }

    /// The value that the top frame was waiting for is complete.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Fields { value, dollar, .. }) => {
                *value = false;
                *dollar = false;
            }
            Some(Frame::List { dollar, .. }) => *dollar = false,
            Some(Frame::Selection {
                field,
                spread,
                inline_type,
                directive,
                spread_name,
                ..
            }) => {
                *field = None;
                *spread = false;
                *inline_type = None;
                *directive = None;
                *spread_name = false;
            }
            _ => {}
        }
    }

    fn finish_variable(&mut self, name: Option<String>, ty: &str) {
        if let (Some(name), Some(ty)) = (name, parse_type(ty)) {
            self.top.variables.push((name, ty));
        }
    }

    fn feed(&mut self, kind: TokenKind, data: &str) {
        use TokenKind as T;
        if matches!(kind, T::Whitespace | T::Comment | T::Comma | T::Eof) {
            return;
        }
        if matches!(kind, T::RCurly | T::RParen | T::RBracket) {
            self.close(kind);
            return;
        }
        let Some(frame) = self.stack.last_mut() else {
            self.feed_top(kind, data);
            return;
        };
        match frame {
            Frame::Selection {
                ty,
                field,
                alias,
                spread,
                on,
                inline_type,
                at,
                directive,
                spread_name,
            } => match kind {
                T::Name if *at => {
                    *directive = Some(data.to_string());
                    *at = false;
                }
                T::Name if *on => {
                    *inline_type = Some(data.to_string());
                    *on = false;
                }
                T::Name if *spread && inline_type.is_none() => {
                    if data == "on" {
                        *on = true;
                    } else {
                        *spread = false;
                        *spread_name = true;
                        *field = None;
                    }
                }
                T::Name => {
                    *field = Some(data.to_string());
                    *alias = false;
                    *directive = None;
                    *spread_name = false;
                }
                T::Colon => *alias = true,
                T::At => *at = true,
                T::Spread => {
                    *spread = true;
                    *spread_name = false;
                    *inline_type = None;
                    *field = None;
                    *directive = None;
                }
                T::LParen => {
                    let owner = match (directive.clone(), ty.clone(), field.clone()) {
                        (Some(d), _, _) => Some(ArgOwner::Directive(d)),
                        (None, Some(parent), Some(field)) => {
                            Some(ArgOwner::Field { parent, field })
                        }
                        _ => None,
                    };
                    // Arguments of an unknown owner still need their `)` to close them.
                    let owner = owner.or(Some(ArgOwner::Directive(String::new())));
                    self.stack.push(Frame::fields(owner, None));
                }
                T::LCurly => {
                    let child = if *spread {
                        inline_type.clone().or_else(|| ty.clone())
                    } else {
                        match (ty.clone(), field.clone()) {
                            (Some(parent), Some(field)) => self.field_type(&parent, &field),
                            _ => None,
                        }
                    };
                    self.stack.push(Frame::selection(child));
                }
                _ => {}
            },
            Frame::Fields {
                owner: Some(_),
                value: false,
                ..
            } if kind == T::LCurly => {
                // No `{` can stand for an argument's name: the list was left unclosed, and this
                // opens the field's selection set.
                self.stack.pop();
                self.feed(kind, data);
            }
            Frame::Fields {
                present,
                value,
                dollar,
                ..
            } => match kind {
                T::Name if *dollar => self.value_done(),
                T::Name if *value => self.value_done(),
                T::Name => present.push(data.to_string()),
                T::Colon => *value = true,
                T::Dollar if *value => *dollar = true,
                T::StringValue | T::Int | T::Float => self.value_done(),
                T::LCurly | T::LBracket if *value => {
                    let ty = self.stack.last().and_then(|f| self.value_type(f));
                    self.open_value(kind, ty);
                }
                _ => {}
            },
            Frame::List { item, dollar } => match kind {
                T::Dollar => *dollar = true,
                T::Name => *dollar = false,
                T::LCurly | T::LBracket => {
                    let item = item.clone();
                    self.open_value(kind, item);
                }
                _ => {}
            },
            Frame::Variables {
                phase,
                name,
                ty,
                dollar,
            } => match (*phase, kind) {
                (VarPhase::Name, T::Dollar) => *dollar = true,
                (VarPhase::Name, T::Name) if *dollar => {
                    *name = Some(data.to_string());
                    *dollar = false;
                }
                (VarPhase::Name, T::Colon) => *phase = VarPhase::Type,
                (VarPhase::Type, T::Name | T::LBracket | T::Bang) => ty.push_str(data),
                (VarPhase::Type, T::RBracket) => ty.push(']'),
                (VarPhase::Type, T::Eq) => *phase = VarPhase::Default,
                (VarPhase::Type | VarPhase::Default, T::Dollar | T::At) => {
                    let (finished, text) = (name.take(), std::mem::take(ty));
                    *phase = VarPhase::Name;
                    *dollar = kind == T::Dollar;
                    self.finish_variable(finished, &text);
                }
                (VarPhase::Default, T::LCurly | T::LBracket) => {
                    let declared = parse_type(ty.as_str());
                    self.open_value(kind, declared);
                }
                _ => {}
            },
        }
    }

    fn feed_top(&mut self, kind: TokenKind, data: &str) {
        use TokenKind as T;
        let top = &mut self.top;
        match kind {
            T::Name if top.at => top.at = false,
            T::Name if top.keyword.is_none() => {
                top.keyword = Some(data.to_string());
                top.variables.clear();
            }
            T::Name if top.keyword.as_deref() == Some("fragment") => {
                if top.on {
                    top.fragment_type = Some(data.to_string());
                    top.on = false;
                } else if top.fragment_name && data == "on" {
                    top.on = true;
                } else {
                    top.fragment_name = true;
                }
            }
            T::At => top.at = true,
            T::LParen if top.keyword.as_deref() != Some("fragment") => {
                self.stack.push(Frame::Variables {
                    phase: VarPhase::Name,
                    name: None,
                    ty: String::new(),
                    dollar: false,
                });
            }
            T::LCurly => {
                let root = self.root_type();
                self.stack.push(Frame::selection(root));
            }
            _ => {}
        }
    }

    fn context(&self) -> Context {
        let Some(frame) = self.stack.last() else {
            let top = &self.top;
            return match top.keyword.as_deref() {
                _ if top.at => Context::Directive {
                    location: match top.keyword.as_deref() {
                        Some("mutation") => DirectiveLocation::Mutation,
                        Some("subscription") => DirectiveLocation::Subscription,
                        Some("fragment") => DirectiveLocation::FragmentDefinition,
                        _ => DirectiveLocation::Query,
                    },
                },
                None => Context::Definition,
                Some("fragment") if top.on => Context::TypeCondition { parent: None },
                Some("fragment") if top.fragment_name && top.fragment_type.is_none() => {
                    // `fragment Name |`: only `on` can follow.
                    Context::TypeCondition { parent: None }
                }
                _ => Context::Nothing,
            };
        };
        match frame {
            Frame::Selection {
                ty: Some(ty),
                spread,
                on,
                at,
                inline_type,
                spread_name,
                ..
            } => {
                if *at {
                    let location = if *spread {
                        DirectiveLocation::InlineFragment
                    } else if *spread_name {
                        DirectiveLocation::FragmentSpread
                    } else {
                        DirectiveLocation::Field
                    };
                    Context::Directive { location }
                } else if *on {
                    Context::TypeCondition {
                        parent: Some(ty.clone()),
                    }
                } else if *spread && inline_type.is_none() {
                    Context::Spread { parent: ty.clone() }
                } else {
                    Context::Selection { parent: ty.clone() }
                }
            }
            Frame::Selection { ty: None, .. } => Context::Nothing,
            Frame::Fields {
                owner,
                object,
                present,
                value,
                dollar,
            } => {
                if *value {
                    let expected = self.value_type(frame);
                    if *dollar {
                        Context::Variable { expected }
                    } else {
                        Context::Value { expected }
                    }
                } else {
                    match (owner, object) {
                        (Some(ArgOwner::Directive(d)), _) if d.is_empty() => Context::Nothing,
                        (Some(owner), _) => Context::Arguments {
                            owner: owner.clone(),
                            present: present.clone(),
                        },
                        (None, Some(ty)) => Context::InputFields {
                            ty: ty.clone(),
                            present: present.clone(),
                        },
                        (None, None) => Context::Nothing,
                    }
                }
            }
            Frame::List { item, dollar } => {
                if *dollar {
                    Context::Variable {
                        expected: item.clone(),
                    }
                } else {
                    Context::Value {
                        expected: item.clone(),
                    }
                }
            }
            Frame::Variables {
                phase, ty, dollar, ..
            } => match phase {
                VarPhase::Type => Context::VariableType,
                VarPhase::Default => Context::Value {
                    expected: parse_type(ty.as_str()),
                },
                VarPhase::Name if *dollar => Context::Nothing,
                VarPhase::Name => Context::Nothing,
            },
        }
    }
}
